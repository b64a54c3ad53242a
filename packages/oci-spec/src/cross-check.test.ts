import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { defaultSpec } from './default-spec.js';
import { DockerImageConfig } from './docker/config.js';
import { ImageConfig } from './image/config.js';
import { Descriptor } from './image/descriptor.js';
import { ImageIndex } from './image/image-index.js';
import { ImageLayout } from './image/layout.js';
import { ImageManifest } from './image/manifest.js';
import { RuntimeSpec } from './runtime/config.js';
import { Features } from './runtime/features.js';
import { State } from './runtime/state.js';
import { readFixture } from './test-support/fixtures.js';
import { loadOfficialValidators, type OfficialValidators } from './test-support/official-schemas.js';

// Every document of the corpus is validated with the zod schema and with the official JSON schema
// (ajv, draft-04, with formats); the two must agree. Where berth deliberately follows the spec's text
// instead of its JSON schema, the case says so in `divergence`, and the test pins both outcomes.

/** Throws if ../shared/specs is missing: the whole file fails rather than skipping. */
const official: OfficialValidators = loadOfficialValidators();

const DELETE = Symbol('delete');
type Path = readonly (string | number)[];

/** A deep copy of `base` with the value at `path` replaced (or deleted). */
function mutate(base: unknown, path: Path, value: unknown): unknown {
  const copy = structuredClone(base) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) {
    node[key] ??= typeof path[path.indexOf(key) + 1] === 'number' ? [] : {};
    node = node[key] as Record<string | number, unknown>;
  }
  const last = path[path.length - 1]!;
  if (value === DELETE) delete node[last];
  else node[last] = value;
  return copy;
}

interface Case {
  name: string;
  doc: unknown;
  /** Expected to be valid (asserted for both validators unless `divergence`). */
  valid: boolean;
  divergence?: { zod: boolean; official: boolean; why: string };
}

const good = (name: string, doc: unknown): Case => ({ name, doc, valid: true });
const bad = (name: string, doc: unknown): Case => ({ name, doc, valid: false });
const differs = (name: string, doc: unknown, zod: boolean, why: string): Case => ({
  name,
  doc,
  valid: zod,
  divergence: { zod, official: !zod, why },
});

const runcSpec = readFixture('runc-spec.json');
const example = readFixture('spec-examples/runtime-config.json');
const minimal = { ociVersion: '1.2.1' };

const runtimeCases: Case[] = [
  good('runc spec', runcSpec),
  good('runc spec --rootless', readFixture('runc-spec-rootless.json')),
  good('spec example', example),
  good('defaultSpec()', defaultSpec()),
  good('minimal', minimal),
  good('unknown top-level field', { ...minimal, 'com.example.extension': { a: 1 } }),
  good(
    'rlimit at uint64 max',
    mutate(runcSpec, ['process', 'rlimits', 0, 'hard'], JSON.parse('18446744073709551615')),
  ),
  good('memory limit -1', mutate(minimal, ['linux', 'resources', 'memory', 'limit'], -1)),
  good(
    'scheduler',
    mutate(runcSpec, ['process', 'scheduler'], {
      policy: 'SCHED_FIFO',
      priority: 1,
      flags: ['SCHED_FLAG_RECLAIM'],
    }),
  ),
  good('execCPUAffinity', mutate(runcSpec, ['process', 'execCPUAffinity'], { initial: '0-3,7', final: '4' })),
  good(
    'idmapped mount',
    mutate(
      minimal,
      ['mounts'],
      [{ destination: '/d', uidMappings: [{ containerID: 0, hostID: 1000, size: 1 }] }],
    ),
  ),
  good(
    'namespace path',
    mutate(minimal, ['linux', 'namespaces'], [{ type: 'network', path: '/proc/1/ns/net' }]),
  ),
  good(
    'seccomp flags and errnoRet',
    mutate(minimal, ['linux', 'seccomp'], {
      defaultAction: 'SCMP_ACT_ERRNO',
      defaultErrnoRet: 1,
      flags: ['SECCOMP_FILTER_FLAG_LOG'],
      syscalls: [
        {
          names: ['read'],
          action: 'SCMP_ACT_ALLOW',
          args: [{ index: 0, value: 1, valueTwo: 2, op: 'SCMP_CMP_MASKED_EQ' }],
        },
      ],
    }),
  ),
  good('personality LINUX32', mutate(minimal, ['linux', 'personality'], { domain: 'LINUX32', flags: [] })),
  bad('ociVersion is a number', { ociVersion: 1 }),
  bad('ociVersion missing', { hostname: 'x' }),
  bad('not an object', ['ociVersion']),
  bad('root without path', mutate(runcSpec, ['root', 'path'], DELETE)),
  bad('process without cwd', mutate(runcSpec, ['process', 'cwd'], DELETE)),
  bad('args is a string', mutate(runcSpec, ['process', 'args'], 'sh')),
  bad('negative uid', mutate(runcSpec, ['process', 'user', 'uid'], -1)),
  bad('uid above uint32', mutate(runcSpec, ['process', 'user', 'uid'], 2 ** 32)),
  bad('oomScoreAdj not an integer', mutate(runcSpec, ['process', 'oomScoreAdj'], 1.5)),
  bad(
    'capabilities.bounding is a string',
    mutate(runcSpec, ['process', 'capabilities', 'bounding'], 'CAP_KILL'),
  ),
  bad('rlimit type without RLIMIT_', mutate(runcSpec, ['process', 'rlimits', 0, 'type'], 'NOFILE')),
  bad('rlimit without soft', mutate(runcSpec, ['process', 'rlimits', 0, 'soft'], DELETE)),
  bad('consoleSize without width', mutate(runcSpec, ['process', 'consoleSize'], { height: 24 })),
  bad('scheduler without policy', mutate(runcSpec, ['process', 'scheduler'], { nice: 1 })),
  bad(
    'ioPriority class unknown',
    mutate(runcSpec, ['process', 'ioPriority'], { class: 'IOPRIO_CLASS_NONE' }),
  ),
  bad('execCPUAffinity letters', mutate(runcSpec, ['process', 'execCPUAffinity'], { initial: 'all' })),
  bad('mounts is an object', mutate(runcSpec, ['mounts'], { destination: '/x' })),
  bad('mount without destination', mutate(runcSpec, ['mounts', 0, 'destination'], DELETE)),
  bad('hook without path', mutate(minimal, ['hooks', 'poststop'], [{ args: ['x'] }])),
  bad('hook timeout 0', mutate(minimal, ['hooks', 'poststop'], [{ path: '/x', timeout: 0 }])),
  bad('annotation value is a number', mutate(minimal, ['annotations'], { 'a.b': 1 })),
  bad('memory limit is a string', mutate(example, ['linux', 'resources', 'memory', 'limit'], '512M')),
  bad('memory limit is fractional', mutate(example, ['linux', 'resources', 'memory', 'limit'], 1.5)),
  bad('pids without limit', mutate(example, ['linux', 'resources', 'pids'], {})),
  bad('cpu.cpus is a number', mutate(example, ['linux', 'resources', 'cpu', 'cpus'], 2)),
  bad('blockIO weight above uint16', mutate(example, ['linux', 'resources', 'blockIO', 'weight'], 70000)),
  bad(
    'throttle device without major',
    mutate(example, ['linux', 'resources', 'blockIO', 'throttleReadBpsDevice', 0, 'major'], DELETE),
  ),
  bad('hugepage size 2M', mutate(example, ['linux', 'resources', 'hugepageLimits', 0, 'pageSize'], '2M')),
  bad(
    'network priority without priority',
    mutate(example, ['linux', 'resources', 'network', 'priorities', 0, 'priority'], DELETE),
  ),
  bad('rdma negative', mutate(example, ['linux', 'resources', 'rdma', 'mlx5_1', 'hcaHandles'], -1)),
  bad('unified value is a number', mutate(example, ['linux', 'resources', 'unified', 'io.max'], 5)),
  bad(
    'device cgroup rule without allow',
    mutate(example, ['linux', 'resources', 'devices', 0, 'allow'], DELETE),
  ),
  bad('device type x', mutate(example, ['linux', 'devices', 0, 'type'], 'x')),
  bad('device fileMode 1000', mutate(example, ['linux', 'devices', 0, 'fileMode'], 1000)),
  bad('device without path', mutate(example, ['linux', 'devices', 0, 'path'], DELETE)),
  bad('namespace type net', mutate(example, ['linux', 'namespaces', 1, 'type'], 'net')),
  bad('uid mapping without size', mutate(example, ['linux', 'uidMappings', 0, 'size'], DELETE)),
  bad('seccomp without defaultAction', mutate(example, ['linux', 'seccomp', 'defaultAction'], DELETE)),
  bad(
    'seccomp unknown action',
    mutate(example, ['linux', 'seccomp', 'syscalls', 0, 'action'], 'SCMP_ACT_NOPE'),
  ),
  bad('seccomp empty names', mutate(example, ['linux', 'seccomp', 'syscalls', 0, 'names'], [])),
  bad('seccomp unknown arch', mutate(example, ['linux', 'seccomp', 'architectures', 0], 'SCMP_ARCH_Z80')),
  bad('seccomp arg unknown op', mutate(example, ['linux', 'seccomp', 'syscalls', 1, 'args', 0, 'op'], 'EQ')),
  bad('rootfsPropagation rshared', mutate(example, ['linux', 'rootfsPropagation'], 'rshared')),
  bad('intelRdt memBwSchema without MB:', mutate(example, ['linux', 'intelRdt', 'memBwSchema'], 'L3:0=1')),
  bad('personality domain LINUX64', mutate(example, ['linux', 'personality', 'domain'], 'LINUX64')),
  bad('timeOffsets secs is a string', mutate(example, ['linux', 'timeOffsets', 'boottime', 'secs'], '1')),
  bad('sysctl value is a number', mutate(example, ['linux', 'sysctl', 'net.core.somaxconn'], 256)),
  bad('maskedPaths is a string', mutate(example, ['linux', 'maskedPaths'], '/proc/kcore')),
];

const stateExample = readFixture('spec-examples/runtime-state.json');
const stateCases: Case[] = [
  good('spec example', stateExample),
  good('creating, no pid', mutate(stateExample, ['pid'], DELETE)),
  bad('status paused', mutate(stateExample, ['status'], 'paused')),
  bad('no id', mutate(stateExample, ['id'], DELETE)),
  bad('no bundle', mutate(stateExample, ['bundle'], DELETE)),
  bad('negative pid', mutate(stateExample, ['pid'], -1)),
  bad('pid is a string', mutate(stateExample, ['pid'], '1')),
];

const featuresExample = readFixture('spec-examples/runtime-features.json');
const featuresCases: Case[] = [
  good('spec example', featuresExample),
  good('minimal', { ociVersionMin: '1.0.0', ociVersionMax: '1.2.1' }),
  bad('no ociVersionMax', mutate(featuresExample, ['ociVersionMax'], DELETE)),
  bad('namespace net', mutate(featuresExample, ['linux', 'namespaces', 0], 'net')),
  bad('capability without CAP_', mutate(featuresExample, ['linux', 'capabilities', 0], 'CHOWN')),
  bad('unknown seccomp action', mutate(featuresExample, ['linux', 'seccomp', 'actions', 0], 'ALLOW')),
  bad('cgroup v1 is a string', mutate(featuresExample, ['linux', 'cgroup', 'v1'], 'yes')),
];

const manifest = readFixture('spec-examples/oci-manifest.json');
const manifestCases: Case[] = [
  good('spec example', manifest),
  good('artifact example', readFixture('spec-examples/oci-artifact-manifest.json')),
  good('unknown field', mutate(manifest, ['com.example.extra'], true)),
  good(
    'unregistered digest algorithm',
    mutate(
      manifest,
      ['layers', 0, 'digest'],
      'multihash+base58:QmRZxt2b1FVZPNqd8hsiykDL3TdBDeTSPX9Kv46HmX4Gx8',
    ),
  ),
  bad('schemaVersion 1', mutate(manifest, ['schemaVersion'], 1)),
  bad('no config', mutate(manifest, ['config'], DELETE)),
  bad('no layers', mutate(manifest, ['layers'], DELETE)),
  bad('config without digest', mutate(manifest, ['config', 'digest'], DELETE)),
  bad(
    'digest without algorithm',
    mutate(
      manifest,
      ['config', 'digest'],
      'b5b2b2c507a0944348e0303114d8d93aaaa081732b86451d9bce1f432a537bc7',
    ),
  ),
  bad('layer size is a string', mutate(manifest, ['layers', 0, 'size'], '32654')),
  bad('media type without slash', mutate(manifest, ['layers', 0, 'mediaType'], 'tar')),
  bad('subject without size', mutate(manifest, ['subject', 'size'], DELETE)),
  bad('annotation value is a number', mutate(manifest, ['annotations', 'com.example.key1'], 1)),
  bad('url is not a URI', mutate(manifest, ['layers', 0, 'urls'], ['not a url'])),
  differs(
    'empty layers',
    mutate(manifest, ['layers'], []),
    true,
    'manifest.md: layers SHOULD have at least one entry (schema: minItems 1)',
  ),
  differs(
    'sha256 digest too short',
    mutate(manifest, ['config', 'digest'], 'sha256:b5b2'),
    false,
    'descriptor.md: sha256 encoded MUST be 64 hex',
  ),
  differs(
    'sha256 digest uppercase',
    mutate(manifest, ['config', 'digest'], `sha256:${'A'.repeat(64)}`),
    false,
    'descriptor.md: sha256 encoded MUST be lowercase hex',
  ),
  differs('negative size', mutate(manifest, ['layers', 0, 'size'], -1), false, 'size is a byte count'),
  differs(
    'Docker mediaType',
    mutate(manifest, ['mediaType'], 'application/vnd.docker.distribution.manifest.v2+json'),
    false,
    'manifest.md: mediaType MUST be the OCI manifest type when used',
  ),
  differs(
    'data not base64',
    mutate(manifest, ['config', 'data'], '!!'),
    false,
    'descriptor.md: data MUST be base64',
  ),
];

const index = readFixture('spec-examples/oci-index.json');
const indexCases: Case[] = [
  good('spec example', index),
  good('image layout index.json example', readFixture('spec-examples/oci-layout-index.json')),
  good(
    'windows platform with os.version',
    mutate(index, ['manifests', 0, 'platform'], {
      architecture: 'amd64',
      os: 'windows',
      'os.version': '10.0.14393.1066',
      'os.features': ['win32k'],
    }),
  ),
  bad('no manifests', mutate(index, ['manifests'], DELETE)),
  bad('schemaVersion 3', mutate(index, ['schemaVersion'], 3)),
  bad('entry without size', mutate(index, ['manifests', 0, 'size'], DELETE)),
  bad('platform without os', mutate(index, ['manifests', 0, 'platform', 'os'], DELETE)),
  bad('os.features is a string', mutate(index, ['manifests', 0, 'platform', 'os.features'], 'win32k')),
  differs(
    'Docker list mediaType',
    mutate(index, ['mediaType'], 'application/vnd.docker.distribution.manifest.list.v2+json'),
    false,
    'image-index.md: mediaType MUST be the OCI index type when used',
  ),
];

const imageConfig = readFixture('spec-examples/oci-image-config.json');
const imageConfigCases: Case[] = [
  good('spec example', imageConfig),
  good('Docker-built config', readFixture('spec-examples/docker-image-config.json')),
  good('minimal', { architecture: 'arm64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } }),
  good(
    'null Cmd/Entrypoint/Volumes/Labels',
    mutate(mutate(imageConfig, ['config', 'Cmd'], null), ['config', 'Labels'], null),
  ),
  bad('no architecture', mutate(imageConfig, ['architecture'], DELETE)),
  bad('no rootfs', mutate(imageConfig, ['rootfs'], DELETE)),
  bad('rootfs type tar', mutate(imageConfig, ['rootfs', 'type'], 'tar')),
  bad('rootfs without diff_ids', mutate(imageConfig, ['rootfs', 'diff_ids'], DELETE)),
  bad('created is not a date-time', mutate(imageConfig, ['created'], '31 Oct 2015')),
  bad('history created is not a date-time', mutate(imageConfig, ['history', 0, 'created'], 'yesterday')),
  bad('Cmd is a string', mutate(imageConfig, ['config', 'Cmd'], 'sh')),
  bad('Label value is a number', mutate(imageConfig, ['config', 'Labels', 'com.example.project.git.url'], 1)),
  bad('ExposedPorts value is a string', mutate(imageConfig, ['config', 'ExposedPorts', '8080/tcp'], 'tcp')),
  bad('empty_layer is a string', mutate(imageConfig, ['history', 1, 'empty_layer'], 'true')),
  differs(
    'diff_id is not a digest',
    mutate(imageConfig, ['rootfs', 'diff_ids', 0], 'layer0'),
    false,
    'config.md: diff_ids are layer digests',
  ),
];

const layoutCases: Case[] = [
  good('spec example', readFixture('spec-examples/oci-layout.json')),
  bad('version 2.0.0', { imageLayoutVersion: '2.0.0' }),
  bad('no version', {}),
];

const descriptorCases: Case[] = [
  good('spec example with urls', readFixture('spec-examples/oci-descriptor-urls.json')),
  good('empty descriptor with data', {
    mediaType: 'application/vnd.oci.empty.v1+json',
    digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
    size: 2,
    data: 'e30=',
  }),
  bad('no mediaType', mutate(readFixture('spec-examples/oci-descriptor-urls.json'), ['mediaType'], DELETE)),
  bad('fractional size', mutate(readFixture('spec-examples/oci-descriptor-urls.json'), ['size'], 1.5)),
  bad(
    'artifactType not a media type',
    mutate(readFixture('spec-examples/oci-descriptor-urls.json'), ['artifactType'], 'x'),
  ),
];

const suites: { kind: string; zod: z.ZodType; official: keyof OfficialValidators; cases: Case[] }[] = [
  { kind: 'config.json', zod: RuntimeSpec, official: 'runtimeConfig', cases: runtimeCases },
  { kind: 'state', zod: State, official: 'runtimeState', cases: stateCases },
  { kind: 'features.json', zod: Features, official: 'runtimeFeatures', cases: featuresCases },
  { kind: 'image manifest', zod: ImageManifest, official: 'imageManifest', cases: manifestCases },
  { kind: 'image index', zod: ImageIndex, official: 'imageIndex', cases: indexCases },
  { kind: 'image config', zod: ImageConfig, official: 'imageConfig', cases: imageConfigCases },
  { kind: 'oci-layout', zod: ImageLayout, official: 'imageLayout', cases: layoutCases },
  { kind: 'descriptor', zod: Descriptor, official: 'descriptor', cases: descriptorCases },
];

describe('cross-check: zod schemas agree with the official OCI JSON schemas', () => {
  for (const suite of suites) {
    describe(suite.kind, () => {
      it('has good and bad documents in its corpus', () => {
        expect(suite.cases.some((c) => c.valid && !c.divergence)).toBe(true);
        expect(suite.cases.some((c) => !c.valid && !c.divergence)).toBe(true);
      });

      for (const c of suite.cases) {
        const label = c.divergence ? `${c.name} (deliberate divergence: ${c.divergence.why})` : c.name;
        it(`${c.valid ? 'accepts' : 'rejects'}: ${label}`, () => {
          const zodResult = suite.zod.safeParse(c.doc);
          const validate = official[suite.official];
          const officialOk = validate(c.doc) as boolean;
          const detail = {
            zod: zodResult.success
              ? 'valid'
              : zodResult.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
            official: officialOk
              ? 'valid'
              : (validate.errors ?? []).map((e) => `${e.instancePath}: ${e.message}`),
          };
          if (c.divergence) {
            expect({ zod: zodResult.success, official: officialOk }, JSON.stringify(detail)).toEqual({
              zod: c.divergence.zod,
              official: c.divergence.official,
            });
          } else {
            expect({ zod: zodResult.success, official: officialOk }, JSON.stringify(detail)).toEqual({
              zod: c.valid,
              official: c.valid,
            });
          }
        });
      }
    });
  }

  it('fails loudly (does not skip) when the official schemas are missing', () => {
    expect(() => loadOfficialValidators('/nonexistent/berth-test-shared/specs')).toThrow(/Refusing to skip/);
  });

  it('a Docker image config is also accepted by DockerImageConfig', () => {
    expect(DockerImageConfig.safeParse(readFixture('spec-examples/docker-image-config.json')).success).toBe(
      true,
    );
  });
});
