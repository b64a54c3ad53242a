// Same file and format as v1: see ../rdma.ts.
export { RDMA_MAX, rdma } from '../rdma.js';
