import { z } from 'zod';

/**
 * Docker's strslice: a JSON string or an array of strings; always an array after parsing
 * (Cmd, Entrypoint, Shell). A bare string is one element, as Docker decodes it.
 */
export const StrSlice = z.union([z.string().transform((s) => [s]), z.array(z.string())]);
export type StrSlice = z.infer<typeof StrSlice>;

/** Labels, DriverOpts, Sysctls …: a JSON object of strings. */
export const StringMap = z.record(z.string(), z.string());
export type StringMap = z.infer<typeof StringMap>;

/** Docker's `{}`-valued sets: ExposedPorts {"80/tcp":{}}, Volumes {"/data":{}}. */
export const EmptyObjectSet = z.record(z.string(), z.object({}).loose());
export type EmptyObjectSet = z.infer<typeof EmptyObjectSet>;

/**
 * Query `filters`: `{"label":["a=b"],"status":["running"]}`; the legacy map form
 * `{"label":{"a=b":true}}` is normalized to the array form by the server.
 */
export type Filters = Record<string, string[]>;

export const Int = z.number().int();
export const Uint = z.number().int().nonnegative();

/** Docker's progress message ({"status":…,"progressDetail":…,"id":…} or {"stream":…} or {"aux":…}). */
export interface JSONMessage {
  status?: string;
  id?: string;
  progress?: string;
  progressDetail?: { current?: number; total?: number; units?: string; hidecounts?: boolean };
  stream?: string;
  aux?: unknown;
  error?: string;
  errorDetail?: { code?: number; message: string };
  time?: number;
  timeNano?: number;
}

/** Registry credentials from the X-Registry-Auth header (base64url JSON) of pull/push. */
export const AuthConfig = z.object({
  username: z.string().optional(),
  password: z.string().optional(),
  auth: z.string().optional(),
  email: z.string().optional(),
  serveraddress: z.string().optional(),
  identitytoken: z.string().optional(),
  registrytoken: z.string().optional(),
});
export type AuthConfig = z.infer<typeof AuthConfig>;
