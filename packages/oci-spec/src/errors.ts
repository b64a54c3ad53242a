import type { z } from 'zod';

/** One problem found in a document: where (a JSON path like `linux.resources.memory.limit`) and what. */
export interface SpecIssue {
  /** JSON path of the offending value, `(root)` for the document itself. */
  readonly path: string;
  /** Short description, e.g. `expected number, received string`. */
  readonly message: string;
}

/**
 * A document (config.json, a manifest, a reference...) does not match its specification.
 * `message` names the document and the JSON path of the first problem:
 * `config.json: linux.resources.memory.limit: expected number, received string`.
 */
export class SpecValidationError extends Error {
  readonly code = 'EINVALIDSPEC' as const;
  /** What was being validated (`config.json`, `manifest`, `reference`...). */
  readonly where: string;
  /** JSON path of the first issue. */
  readonly path: string;
  /** Every issue found, in document order as zod reports them. */
  readonly issues: readonly SpecIssue[];

  constructor(where: string, issues: readonly SpecIssue[]) {
    const first = issues[0] ?? { path: '(root)', message: 'invalid document' };
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
    super(`${where}: ${first.path}: ${first.message}${more}`);
    this.name = 'SpecValidationError';
    this.where = where;
    this.path = first.path;
    this.issues = issues;
  }
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `['linux', 'mounts', 2, 'org.x']` → `linux.mounts[2]["org.x"]`; `[]` → `(root)`. */
export function formatJsonPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && IDENTIFIER.test(key)) out += out === '' ? key : `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out === '' ? '(root)' : out;
}

function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && / received undefined$/.test(issue.message)) {
    return `required field is missing (expected ${issue.expected})`;
  }
  if (issue.code === 'unrecognized_keys') return `unknown field(s) ${issue.keys.join(', ')}`;
  // zod's default messages read "Invalid input: expected number, received string"; keep the useful part.
  return issue.message.replace(/^(Invalid [a-z ]+|Too (big|small)): /, '');
}

/** Turn zod issues into SpecIssues with JSON paths (flattening union branches into their best issue). */
export function toSpecIssues(
  issues: readonly z.core.$ZodIssue[],
  prefix: readonly PropertyKey[] = [],
): SpecIssue[] {
  const out: SpecIssue[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      // Report the branch that got furthest (longest path), which is usually the one that was meant.
      const branches = issue.errors.map((errs) => toSpecIssues(errs, path));
      const best = branches.reduce((a, b) => (depth(b) > depth(a) ? b : a));
      out.push(...best);
      continue;
    }
    out.push({ path: formatJsonPath(path), message: issueMessage(issue) });
  }
  return out;
}

function depth(issues: readonly SpecIssue[]): number {
  return Math.max(0, ...issues.map((i) => i.path.length));
}

/**
 * Validate `value` with `schema`; return the parsed value or throw a SpecValidationError whose message
 * starts with `where` and names the JSON path of the first problem.
 */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, where: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new SpecValidationError(where, toSpecIssues(result.error.issues));
}
