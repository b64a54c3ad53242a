import { RuntimeError } from './errors.js';

// runc's rule: letters, digits and `_ + - .`, not `.` or `..`; one path component under the root.
const ID = /^[\w+\-.]+$/;

/** Throws EINVALIDID unless `id` can name a container (and a directory under the root). */
export function validateId(id: string): string {
  if (!ID.test(id) || id === '.' || id === '..' || id.length > 1024)
    throw new RuntimeError('EINVALIDID', `invalid container id ${JSON.stringify(id)}`, { id });
  return id;
}
