/** Splits NAME[:TAG|@DIGEST] (a registry port is not a tag); the tag defaults to latest. */
export function splitRef(ref: string): { name: string; tag: string | undefined; digest: string | undefined } {
  const at = ref.indexOf('@');
  if (at >= 0) return { name: ref.slice(0, at), tag: undefined, digest: ref.slice(at + 1) };
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  if (colon > slash) return { name: ref.slice(0, colon), tag: ref.slice(colon + 1), digest: undefined };
  return { name: ref, tag: undefined, digest: undefined };
}

/** The reference with :latest added when it has neither tag nor digest (docker's TagNameOnly). */
export function withDefaultTag(ref: string): string {
  const r = splitRef(ref);
  return r.tag === undefined && r.digest === undefined ? `${ref}:latest` : ref;
}
