// Why a container did not start, in dockerd's words.
import { DaemonError } from './errors.js';

/**
 * A start that failed, in dockerd's words: the docker CLI picks its exit code from the message
 * (127 for "executable file not found" / "no such file or directory", 126 for "permission denied").
 */
export function startFailure(e: unknown): { error: unknown; message: string; exitCode: number } {
  const msg = e instanceof Error ? e.message : String(e);
  const exec = /exec \(([^)]*)\): (ENOENT|EACCES|EISDIR|ENOTDIR|ENOEXEC)/.exec(msg);
  if (!exec) return { error: e, message: msg, exitCode: 128 };
  const [, path, errno] = exec;
  const text =
    errno === 'ENOENT' || errno === 'ENOTDIR'
      ? path!.includes('/')
        ? `exec: "${path}": stat ${path}: no such file or directory`
        : `exec: "${path}": executable file not found in $PATH`
      : errno === 'ENOEXEC'
        ? `exec: "${path}": exec format error`
        : `exec: "${path}": permission denied`;
  const message = `failed to create task for container: unable to start container process: ${text}`;
  const exitCode = errno === 'ENOENT' || errno === 'ENOTDIR' ? 127 : 126;
  return { error: new DaemonError('INVALID', message), message, exitCode };
}
