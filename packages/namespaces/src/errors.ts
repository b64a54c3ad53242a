/** Bad namespace input (a config.json part, an id mapping, a kind name). */
export class NamespaceError extends Error {
  readonly code = 'EINVALIDNAMESPACE';
  /** where in the input the problem is, e.g. 'linux.namespaces[2].type' */
  readonly where?: string;

  constructor(message: string, where?: string) {
    super(where ? `${where}: ${message}` : message);
    this.name = 'NamespaceError';
    if (where !== undefined) this.where = where;
  }
}
