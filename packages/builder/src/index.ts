export type {
  BuildImage,
  BuildLimits,
  CommitRequest,
  ContainerRunner,
  ImageBackend,
  PullProgress,
  RunRequest,
  RunResult,
  RunUser,
} from './backend.js';
export { type BuilderDeps, type BuildOptions, type BuildResult, build } from './build.js';
export { Builder, type BuilderOptions } from './builder.js';
export { BuildCache, CacheEntry } from './cache.js';
export { BuildContext, type ContextOptions } from './context.js';
export {
  type ArgInstruction,
  type CmdInstruction,
  type CommandForm,
  type CopyInstruction,
  type Dockerfile,
  decodeInstruction,
  type EnvInstruction,
  type ExposeInstruction,
  type FromInstruction,
  type HealthcheckInstruction,
  type Instruction,
  type KeyValue,
  type OnbuildInstruction,
  type ParseOptions,
  parseDockerfile,
  type RunInstruction,
  type ShellInstruction,
  type ValueInstruction,
  type VolumeInstruction,
} from './dockerfile/instructions.js';
export type { Heredoc, RawInstruction } from './dockerfile/parser.js';
export { expandWord, expandWords, LexError, type LexOptions, type Vars } from './dockerfile/shell-lex.js';
export { DockerIgnore } from './dockerignore.js';
export { BuildError, type BuildErrorCode, isBuildError } from './errors.js';
export {
  type BuildEvent,
  type DockerBuildMessage,
  dockerBuildError,
  dockerBuildMessages,
  dockerBuildMessagesOf,
  dockerBuildStream,
  shortId,
} from './events.js';
export { imageStoreBackend } from './image-backend.js';
export {
  type ApiBuildQuery,
  BuildQuery,
  buildOptionsFromQuery,
  type ParsedBuildQuery,
  parseBuildQuery,
} from './query.js';
export { DOCKER_DEFAULT_CAPS, type RuntimeRunnerOptions, runtimeRunner, stepSpec } from './runner.js';
