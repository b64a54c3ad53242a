// Same file and format as v2: see ../rdma.ts.
export { RDMA_MAX, rdma } from '../rdma.js';
