import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ValidateFunction } from 'ajv-draft-04';

// The official OCI JSON schemas (draft-04) live in shared/specs beside the repository clone: /work/main
// and /work/shared here, <clone>/../shared in CI. They are not copied into the repo (shared/ is the
// single upstream copy). If they are missing, loading throws: the cross-check must fail, never skip.

const require = createRequire(import.meta.url);
// Both packages are CommonJS whose module.exports is the class/plugin itself.
type AjvClass = typeof import('ajv-draft-04').default;
type AjvDraft04 = InstanceType<AjvClass>;
const Ajv = require('ajv-draft-04') as AjvClass;
const addFormats = require('ajv-formats') as typeof import('ajv-formats').default;

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const repoRoot = resolve(packageDir, '../..');
/** `<repo>/../shared/specs`. */
export const SHARED_SPECS_DIR = resolve(repoRoot, '../shared/specs');

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * Drop string-valued `id` keywords. The upstream files mix bases (some declare
 * https://opencontainers.org/schema/... ids, their sibling refs are plain file names), which resolve
 * differently from how upstream's own Go loader maps them to files. Ids do not affect validation;
 * removing them makes every `$ref` resolve relative to the file it is in. (Objects named `id` under
 * `properties`, e.g. the state schema's container id, are schemas and are kept.)
 */
function stripIds(node: Json): Json {
  if (Array.isArray(node)) return node.map(stripIds);
  if (node === null || typeof node !== 'object') return node;
  const out: { [key: string]: Json } = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'id' && typeof value === 'string') continue;
    out[key] = stripIds(value);
  }
  return out;
}

function loadDir(ajv: AjvDraft04, dir: string, base: string): void {
  if (!existsSync(dir)) {
    throw new Error(
      `official JSON schemas not found at ${dir}: the cross-check needs shared/specs beside the repository ` +
        `(<repo>/../shared/specs). Refusing to skip.`,
    );
  }
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  if (files.length === 0) throw new Error(`no JSON schemas in ${dir}`);
  for (const file of files) {
    const schema = stripIds(JSON.parse(readFileSync(join(dir, file), 'utf8')) as Json) as {
      [key: string]: Json;
    };
    // draft-04's `id` sets the base URI; give every file one so sibling refs (`defs.json#/...`) resolve.
    ajv.addSchema({ ...schema, id: `${base}/${file}` });
  }
}

export interface OfficialValidators {
  runtimeConfig: ValidateFunction;
  runtimeState: ValidateFunction;
  runtimeFeatures: ValidateFunction;
  imageManifest: ValidateFunction;
  imageIndex: ValidateFunction;
  imageConfig: ValidateFunction;
  imageLayout: ValidateFunction;
  descriptor: ValidateFunction;
}

/** Compile the official schemas. Throws (loudly) if shared/specs is missing. */
export function loadOfficialValidators(specsDir: string = SHARED_SPECS_DIR): OfficialValidators {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const runtime = 'https://berth.invalid/oci-runtime-spec';
  const image = 'https://berth.invalid/oci-image-spec';
  loadDir(ajv, join(specsDir, 'oci-runtime-spec'), runtime);
  loadDir(ajv, join(specsDir, 'oci-image-spec'), image);
  const get = (id: string): ValidateFunction => {
    const fn = ajv.getSchema(id);
    if (!fn) throw new Error(`schema ${id} did not compile`);
    return fn;
  };
  return {
    runtimeConfig: get(`${runtime}/config-schema.json`),
    runtimeState: get(`${runtime}/state-schema.json`),
    runtimeFeatures: get(`${runtime}/features-schema.json`),
    imageManifest: get(`${image}/image-manifest-schema.json`),
    imageIndex: get(`${image}/image-index-schema.json`),
    imageConfig: get(`${image}/config-schema.json`),
    imageLayout: get(`${image}/image-layout-schema.json`),
    descriptor: get(`${image}/content-descriptor.json`),
  };
}
