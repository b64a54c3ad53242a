/** Stable error codes of @berth/network; `code` never changes wording, messages may. */
export type NetworkErrorCode =
  | 'ENOTFOUND' // no such network / endpoint / netns
  | 'ECONFLICT' // name taken, subnet overlaps, port allocated, network in use, ambiguous id prefix
  | 'EINVALID' // bad input: subnet, gateway, port, name, option
  | 'EPOOLEXHAUSTED' // no free subnet left in the address pools
  | 'EFORBIDDEN' // the default network cannot be removed
  | 'ESTATE' // a state file on disk does not parse
  | 'EFIREWALL'; // nft refused berth's table

export interface NetworkErrorFacts {
  network?: string;
  containerId?: string;
  path?: string;
}

/** The HTTP status the Docker Engine API answers with for each code (the API layer reads `statusCode`). */
const STATUS: Record<NetworkErrorCode, number> = {
  ENOTFOUND: 404,
  ECONFLICT: 409,
  EINVALID: 400,
  EPOOLEXHAUSTED: 403,
  EFORBIDDEN: 403,
  ESTATE: 500,
  EFIREWALL: 500,
};

export class NetworkError extends Error {
  readonly code: NetworkErrorCode;
  readonly statusCode: number;
  readonly network?: string;
  readonly containerId?: string;
  readonly path?: string;

  constructor(code: NetworkErrorCode, message: string, facts: NetworkErrorFacts = {}) {
    super(message);
    this.name = 'NetworkError';
    this.code = code;
    this.statusCode = STATUS[code];
    Object.assign(this, facts);
  }
}

export function isNetworkError(err: unknown, code?: NetworkErrorCode): err is NetworkError {
  return err instanceof NetworkError && (code === undefined || err.code === code);
}

/**
 * A CNI plugin failed. `cniCode`/`cniMsg`/`details` are the plugin's own error object (CNI spec
 * "Error": 1 incompatible version, 2 unsupported field, 3 unknown container, 4 invalid env,
 * 5 I/O, 6 decode, 7 invalid config, 11 try again later, 100+ plugin-specific); code 999 and
 * the message are ours when the plugin printed no error object (crashed, not found, bad output).
 */
export class CniError extends Error {
  readonly code = 'ECNI';
  /** a plugin failing is the daemon's failure, as Docker's "failed to set up container networking" */
  readonly statusCode = 500;
  readonly plugin: string;
  readonly command: string;
  readonly cniCode: number;
  readonly cniMsg: string;
  readonly details?: string;

  constructor(plugin: string, command: string, cniCode: number, cniMsg: string, details?: string) {
    super(
      `CNI plugin ${plugin} ${command} failed (code ${cniCode}): ${cniMsg}${details ? ` (${details})` : ''}`,
    );
    this.name = 'CniError';
    this.plugin = plugin;
    this.command = command;
    this.cniCode = cniCode;
    this.cniMsg = cniMsg;
    if (details !== undefined) this.details = details;
  }
}

/** Our code for failures that the plugin did not describe itself (crash, missing binary, bad JSON). */
export const CNI_RUNNER_ERROR = 999;
