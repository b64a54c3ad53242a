// The executor: Docker's classic builder semantics over ImageBackend and ContainerRunner. Every
// step commits an image (config-only steps an empty layer), so each step's result is a cache entry
// keyed by its parent image; stages are built in file order, only those the target needs.
import { randomBytes } from 'node:crypto';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join, posix } from 'node:path';
import type { Readable } from 'node:stream';
import { type DockerContainerConfig, parseReference } from '@berth/oci-spec';
import { mountAll, unmount } from '@berth/overlay';
import { secureJoin } from '@berth/runtime';
import type { BuildImage, BuildLimits, ContainerRunner, ImageBackend } from './backend.js';
import { BuildCache, cacheKey } from './cache.js';
import { BuildContext, checksumSources, matchSources, type SourceTree } from './context.js';
import { copyInto, mkdirInRoot, type Owner, writeHeredocFile } from './copy.js';
import {
  type CopyInstruction,
  decodeInstruction,
  type FromInstruction,
  type Instruction,
  parseDockerfile,
  type RunInstruction,
} from './dockerfile/instructions.js';
import { parseLines } from './dockerfile/parser.js';
import { expandWords, expandWordWithMatches, LexError, type Vars } from './dockerfile/shell-lex.js';
import { DockerIgnore } from './dockerignore.js';
import { BuildError } from './errors.js';
import { type BuildEvent, shortId } from './events.js';
import {
  automaticPlatformArgs,
  DEFAULT_PATH,
  envMap,
  normalizePort,
  PROXY_ARGS,
  parseChmod,
  setEnv,
  shellForm,
} from './step-helpers.js';
import { resolveChown, resolveUser } from './users.js';

export interface BuildOptions {
  /** a directory, a tar stream (plain or gzip, POST /build's body) or an opened BuildContext */
  context: string | Readable | AsyncIterable<Buffer> | BuildContext;
  /** the Dockerfile's path inside the context (default `Dockerfile`) */
  dockerfile?: string;
  /** the Dockerfile's text, when it does not come from the context (`docker build -f -`) */
  dockerfileText?: string;
  tags?: string[];
  /** --build-arg: a null/undefined value declares nothing (Docker: "take it from the client's env") */
  buildArgs?: Record<string, string | null | undefined>;
  /** the stage to build (default: the last) */
  target?: string;
  noCache?: boolean;
  /** pull FROM images even when they are local */
  pull?: boolean;
  /** labels added to the final image */
  labels?: Record<string, string>;
  /** RUN's network: `none` (default) or `host`; `default`/`bridge` are treated as none */
  networkMode?: string;
  /** platform for FROM pulls (`linux/amd64`) */
  platform?: string;
  /** resource limits of RUN containers (docker build --memory, --cpu-shares, --shm-size, …) */
  limits?: BuildLimits;
  onProgress?: (event: BuildEvent) => void;
  signal?: AbortSignal;
}

export interface BuilderDeps {
  images: ImageBackend;
  runner: ContainerRunner;
  /** the builder's root: cache/ and temporary mount points live here */
  root: string;
}

export interface BuildResult {
  /** `sha256:…` of the final image */
  imageId: string;
  tags: string[];
  warnings: string[];
}

interface Stage {
  index: number;
  name?: string;
  from: FromInstruction;
  instructions: Instruction[];
}

interface StageState {
  stage: Stage;
  imageId: string | undefined;
  config: DockerContainerConfig;
  author?: string;
  /** ARGs declared in this stage (value undefined: declared without one) */
  args: Map<string, string | undefined>;
  /** CMD was set in this stage (ENTRYPOINT then keeps it) */
  cmdSet: boolean;
}

interface StepDesc {
  createdBy: string;
  /** more key material: checksums, run args */
  cacheExtra?: unknown;
  config: DockerContainerConfig;
  author?: string;
  /** the step's file work on the mounted rootfs; resolves whether it changed anything */
  apply?: (rootfs: string, containerId: string) => Promise<boolean>;
}

/** Stage names and indexes that `ins` needs built first (FROM <stage>, COPY --from=<stage>). */
function stageRef(stages: Stage[], upTo: number, ref: string): Stage | undefined {
  if (/^\d+$/.test(ref)) {
    const i = Number(ref);
    return i < upTo ? stages[i] : undefined;
  }
  const lower = ref.toLowerCase();
  return stages.slice(0, upTo).find((s) => s.name === lower);
}

export class Executor {
  private readonly cache: BuildCache;
  private readonly warnings: string[] = [];
  private readonly emit: (e: BuildEvent) => void;
  private readonly buildArgs: Map<string, string>;
  private readonly usedArgs = new Set<string>();
  private globalArgs = new Map<string, string | undefined>();
  private stageResults = new Map<number, string | undefined>();
  private step = 0;
  private total = 0;
  private context!: BuildContext;
  private escape = '\\';

  constructor(
    private readonly opts: BuildOptions,
    private readonly deps: BuilderDeps,
  ) {
    this.cache = new BuildCache(deps.root);
    this.emit = opts.onProgress ?? (() => {});
    this.buildArgs = new Map();
    for (const [k, v] of Object.entries(opts.buildArgs ?? {}))
      if (typeof v === 'string') this.buildArgs.set(k, v);
  }

  private warn(message: string): void {
    this.warnings.push(message);
    this.emit({ type: 'warning', message });
  }

  private checkAbort(): void {
    if (this.opts.signal?.aborted) throw new BuildError('ECANCELED', 'the build was canceled');
  }

  async run(): Promise<BuildResult> {
    const ctxOpt = this.opts.context;
    const owned = !(ctxOpt instanceof BuildContext);
    this.checkTags();
    mkdirSync(this.deps.root, { recursive: true });
    // a Dockerfile given as text does not have to exist in the context
    const ctxOpts = {
      ...(this.opts.dockerfile ? { dockerfile: this.opts.dockerfile } : {}),
      tmpDir: this.deps.root,
      requireDockerfile: this.opts.dockerfileText === undefined,
    };
    this.context =
      ctxOpt instanceof BuildContext
        ? ctxOpt
        : typeof ctxOpt === 'string'
          ? BuildContext.fromDir(ctxOpt, ctxOpts)
          : await BuildContext.fromTar(ctxOpt, ctxOpts);
    try {
      return await this.buildAll();
    } finally {
      if (owned) this.context.dispose();
    }
  }

  /** Tags are checked before anything runs, as Docker does ("invalid reference format"). */
  private checkTags(): void {
    for (const tag of this.opts.tags ?? []) {
      try {
        const ref = parseReference(tag);
        if (ref.digest) throw new Error('a tag cannot carry a digest');
      } catch (err) {
        throw new BuildError(
          'EINVALID',
          `invalid tag "${tag}": invalid reference format (${(err as Error).message})`,
        );
      }
    }
  }

  private async buildAll(): Promise<BuildResult> {
    const text = this.opts.dockerfileText ?? this.context.dockerfileText;
    const df = parseDockerfile(text, { file: this.opts.dockerfile ?? 'Dockerfile' });
    this.escape = df.escape;
    for (const w of df.warnings) this.warn(w);

    // global ARGs (before the first FROM) and the stages
    const stages: Stage[] = [];
    for (const [k, v] of automaticPlatformArgs(this.opts.platform)) this.globalArgs.set(k, v);
    for (const ins of df.instructions) {
      if (ins.kind === 'FROM') {
        stages.push({
          index: stages.length,
          ...(ins.as ? { name: ins.as } : {}),
          from: ins,
          instructions: [],
        });
        continue;
      }
      const current = stages[stages.length - 1];
      if (current) {
        current.instructions.push(ins);
        continue;
      }
      if (ins.kind !== 'ARG') continue; // parseDockerfile refused anything else
      for (const a of ins.args) {
        const given = this.buildArgs.get(a.name);
        if (given !== undefined) this.usedArgs.add(a.name);
        const value =
          given ?? (a.value !== undefined ? this.expand(a.value, this.globalArgs, ins) : undefined);
        this.globalArgs.set(a.name, value);
      }
    }
    const names = new Set<string>();
    for (const s of stages) {
      if (s.name && names.has(s.name)) {
        throw new BuildError('ESYNTAX', `Dockerfile:${s.from.line}: duplicate stage name "${s.name}"`, {
          line: s.from.line,
          column: s.from.column,
        });
      }
      if (s.name) names.add(s.name);
    }

    let targetIndex = stages.length - 1;
    if (this.opts.target) {
      const t = stages.find((s) => s.name === this.opts.target!.toLowerCase());
      if (!t)
        throw new BuildError('ENOTFOUND', `failed to reach build target ${this.opts.target} in Dockerfile`);
      targetIndex = t.index;
    }
    const needed = this.neededStages(stages, targetIndex);
    const labels = Object.entries(this.opts.labels ?? {});
    this.total =
      stages.filter((s) => needed.has(s.index)).reduce((n, s) => n + 1 + s.instructions.length, 0) +
      (labels.length > 0 ? 1 : 0);

    let finalId: string | undefined;
    for (const stage of stages) {
      if (!needed.has(stage.index)) continue;
      const extra: Instruction[] = [];
      if (stage.index === targetIndex && labels.length > 0) {
        // single quotes are literal in Docker's word rules: no $ expansion of --label values
        const quote = (t: string) => `'${t.replace(/'/g, "'\\''")}'`;
        const line = `LABEL ${labels.map(([k, v]) => `${quote(k)}=${quote(v)}`).join(' ')}`;
        extra.push(parseDockerfile(`FROM scratch\n${line}`).instructions[1]!);
      }
      finalId = await this.buildStage(stages, stage, extra);
      this.stageResults.set(stage.index, finalId);
      if (stage.index === targetIndex) break;
    }
    if (!finalId) {
      throw new BuildError('EINVALID', 'No image was generated. Is your Dockerfile empty?');
    }

    const unused = [...this.buildArgs.keys()].filter((k) => !this.usedArgs.has(k) && !PROXY_ARGS.has(k));
    if (unused.length > 0) this.warn(`One or more build-args [${unused.join(' ')}] were not consumed`);

    this.emit({ type: 'built', imageId: finalId });
    const tags: string[] = [];
    for (const tag of this.opts.tags ?? []) {
      await this.deps.images.tag(finalId, tag);
      tags.push(tag);
      this.emit({ type: 'tagged', tag });
    }
    return { imageId: finalId, tags, warnings: this.warnings };
  }

  private neededStages(stages: Stage[], target: number): Set<number> {
    const needed = new Set<number>();
    const visit = (i: number) => {
      if (needed.has(i)) return;
      needed.add(i);
      const s = stages[i]!;
      const base = this.expand(s.from.image, this.globalArgs, s.from);
      const dep = stageRef(stages, i, base);
      if (dep && !/^\d+$/.test(base)) visit(dep.index);
      for (const ins of s.instructions) {
        const from = ins.kind === 'COPY' ? ins.from : undefined;
        if (from === undefined) continue;
        const d = stageRef(stages, i, this.expand(from, this.globalArgs, ins));
        if (d) visit(d.index);
      }
    };
    visit(target);
    return needed;
  }

  /** Expands a word, turning lexer errors into build errors that name the line. */
  private expand(word: string, vars: Vars, at: { line: number; column: number }, skipQuotes = false): string {
    try {
      const r = expandWordWithMatches(word, vars, { escape: this.escape, skipQuotes });
      return r.text;
    } catch (err) {
      if (err instanceof LexError) {
        throw new BuildError('ESYNTAX', `Dockerfile:${at.line}:${at.column}: ${err.message}`, {
          line: at.line,
          column: at.column,
        });
      }
      throw err;
    }
  }

  private expandWords(word: string, vars: Vars, at: { line: number; column: number }): string[] {
    try {
      return expandWords(word, vars, { escape: this.escape });
    } catch (err) {
      if (err instanceof LexError) {
        throw new BuildError('ESYNTAX', `Dockerfile:${at.line}:${at.column}: ${err.message}`, {
          line: at.line,
          column: at.column,
        });
      }
      throw err;
    }
  }

  /** Variables visible in a stage: its ARGs, overridden by ENV. */
  private vars(st: StageState): Map<string, string | undefined> {
    const m = new Map<string, string | undefined>(st.args);
    for (const [k, v] of envMap(st.config.Env)) m.set(k, v);
    return m;
  }

  private async resolveImage(ref: string, platform: string | undefined): Promise<BuildImage> {
    const local = this.opts.pull ? undefined : await this.deps.images.get(ref);
    if (local) return local;
    const p = platform ?? this.opts.platform;
    return this.deps.images.pull(ref, {
      ...(p ? { platform: p } : {}),
      onProgress: (progress) => this.emit({ type: 'pull', ref, progress }),
      ...(this.opts.signal ? { signal: this.opts.signal } : {}),
    });
  }

  private async buildStage(stages: Stage[], stage: Stage, extra: Instruction[]): Promise<string | undefined> {
    const from = stage.from;
    this.step++;
    this.emit({ type: 'step', step: this.step, total: this.total, instruction: from.original });
    const image = this.expand(from.image, this.globalArgs, from);
    if (image === '')
      throw new BuildError(
        'EINVALID',
        `Dockerfile:${from.line}: base name (${from.image}) should not be blank`,
        { line: from.line },
      );
    const st: StageState = { stage, imageId: undefined, config: {}, args: new Map(), cmdSet: false };
    const dep = stageRef(stages, stage.index, image);
    if (image.toLowerCase() === 'scratch') {
      st.config = {};
    } else if (dep && !/^\d+$/.test(image)) {
      st.imageId = this.stageResults.get(dep.index);
      st.config = structuredClone(
        st.imageId ? ((await this.deps.images.get(st.imageId))?.config.config ?? {}) : {},
      );
    } else {
      const platform = from.platform ? this.expand(from.platform, this.globalArgs, from) : undefined;
      const base = await this.resolveImage(image, platform);
      st.imageId = base.id;
      st.config = structuredClone(base.config.config ?? {});
    }
    if (st.imageId) this.emit({ type: 'stepDone', step: this.step, imageId: st.imageId, cached: false });

    // the base image's ONBUILD triggers run first, then are dropped from the new image
    const triggers = st.config.OnBuild ?? [];
    if (triggers.length > 0) {
      this.emit({ type: 'triggers', count: triggers.length });
      st.config.OnBuild = [];
      for (const trigger of triggers) {
        this.emit({ type: 'trigger', instruction: trigger });
        const raw = parseLines(trigger, { escape: this.escape }).instructions[0];
        if (!raw) continue;
        const ins = decodeInstruction(
          { ...raw, line: from.line, column: from.column, argsColumn: from.column, endLine: from.line },
          this.escape,
        );
        await this.instruction(stages, st, ins);
      }
    }
    for (const ins of [...stage.instructions, ...extra]) {
      this.checkAbort();
      this.step++;
      this.emit({ type: 'step', step: this.step, total: this.total, instruction: ins.original });
      await this.instruction(stages, st, ins);
    }
    return st.imageId;
  }

  /** Runs one instruction: works out the step, then commits it (or takes it from the cache). */
  private async instruction(stages: Stage[], st: StageState, ins: Instruction): Promise<void> {
    const config = structuredClone(st.config);
    // Docker's history of a config-only step: `/bin/sh -c #(nop)  ENV A=1` (two spaces, as Docker writes it)
    const nop = (text: string) => `/bin/sh -c #(nop)  ${text}`;
    const vars = this.vars(st);
    switch (ins.kind) {
      case 'FROM':
        throw new BuildError('ESYNTAX', `Dockerfile:${ins.line}: FROM is not allowed here`, {
          line: ins.line,
        });
      case 'ARG': {
        const parts: string[] = [];
        for (const a of ins.args) {
          const given = this.buildArgs.get(a.name);
          if (given !== undefined || PROXY_ARGS.has(a.name)) this.usedArgs.add(a.name);
          let value: string | undefined;
          if (given !== undefined) value = given;
          else if (a.value !== undefined) value = this.expand(a.value, vars, ins);
          else value = this.globalArgs.get(a.name);
          st.args.set(a.name, value);
          vars.set(a.name, envMap(config.Env).get(a.name) ?? value);
          parts.push(a.value !== undefined ? `${a.name}=${a.value}` : a.name);
        }
        // an ARG changes no config, but Docker's classic builder still commits (and caches) a step; a
        // new value misses the cache where it is used (RUN's |N prefix, expanded text), not here
        return this.commitStep(st, ins, { createdBy: nop(`ARG ${parts.join(' ')}`), config });
      }
      case 'ENV': {
        const shown: string[] = [];
        for (const p of ins.pairs) {
          const key = this.expand(p.key, vars, ins);
          const value = this.expand(p.value, vars, ins);
          config.Env = setEnv(config.Env, key, value);
          shown.push(`${key}=${value}`);
        }
        return this.commitStep(st, ins, { createdBy: nop(`ENV ${shown.join(' ')}`), config });
      }
      case 'LABEL': {
        const labels = { ...(config.Labels ?? {}) };
        const shown: string[] = [];
        for (const p of ins.pairs) {
          const key = this.expand(p.key, vars, ins);
          const value = this.expand(p.value, vars, ins);
          labels[key] = value;
          shown.push(`${key}=${value}`);
        }
        config.Labels = labels;
        return this.commitStep(st, ins, { createdBy: nop(`LABEL ${shown.join(' ')}`), config });
      }
      case 'MAINTAINER': {
        const author = this.expand(ins.value, vars, ins);
        st.author = author;
        return this.commitStep(st, ins, { createdBy: nop(`MAINTAINER ${author}`), config, author });
      }
      case 'USER': {
        config.User = this.expand(ins.value, vars, ins);
        return this.commitStep(st, ins, { createdBy: nop(`USER ${config.User}`), config });
      }
      case 'STOPSIGNAL': {
        config.StopSignal = this.expand(ins.value, vars, ins);
        return this.commitStep(st, ins, { createdBy: nop(`STOPSIGNAL ${config.StopSignal}`), config });
      }
      case 'EXPOSE': {
        const ports = { ...(config.ExposedPorts ?? {}) };
        const shown: string[] = [];
        for (const word of ins.ports) {
          for (const p of this.expandWords(word, vars, ins)) {
            for (const n of normalizePort(p)) {
              ports[n] = {};
              shown.push(n);
            }
          }
        }
        config.ExposedPorts = ports;
        return this.commitStep(st, ins, { createdBy: nop(`EXPOSE ${shown.join(' ')}`), config });
      }
      case 'VOLUME': {
        const volumes = { ...(config.Volumes ?? {}) };
        const shown: string[] = [];
        for (const word of ins.paths) {
          const paths = ins.json ? [this.expand(word, vars, ins, true)] : this.expandWords(word, vars, ins);
          for (const p of paths) {
            if (p.trim() === '')
              throw new BuildError(
                'EINVALID',
                `Dockerfile:${ins.line}: VOLUME specified can not be an empty string`,
                { line: ins.line },
              );
            volumes[p] = {};
            shown.push(p);
          }
        }
        config.Volumes = volumes;
        return this.commitStep(st, ins, { createdBy: nop(`VOLUME [${shown.join(' ')}]`), config });
      }
      case 'WORKDIR': {
        const dir = this.expand(ins.value, vars, ins);
        const wd = posix.resolve(config.WorkingDir || '/', dir);
        config.WorkingDir = wd;
        return this.commitStep(st, ins, {
          createdBy: nop(`WORKDIR ${wd}`),
          config,
          apply: async (rootfs) => {
            const host = secureJoin(rootfs, wd);
            if (existsSync(host) && lstatSync(host).isDirectory()) return false;
            const owner = config.User ? ownerOf(resolveUser(rootfs, config.User)) : undefined;
            mkdirInRoot(rootfs, wd, owner);
            return true;
          },
        });
      }
      case 'CMD':
      case 'ENTRYPOINT': {
        const empty = ins.command.form === 'shell' && ins.command.command === '';
        const value = empty ? null : shellForm(config, ins.command);
        if (ins.kind === 'CMD') {
          config.Cmd = value;
          st.cmdSet = true;
        } else {
          config.Entrypoint = value;
          if (!st.cmdSet) config.Cmd = null; // an inherited CMD does not survive a new ENTRYPOINT
        }
        const shown = value === null ? '[]' : `[${value.map((a) => JSON.stringify(a)).join(' ')}]`;
        return this.commitStep(st, ins, { createdBy: nop(`${ins.kind} ${shown}`), config });
      }
      case 'SHELL': {
        config.Shell = ins.shell;
        return this.commitStep(st, ins, {
          createdBy: nop(`SHELL [${ins.shell.map((a) => JSON.stringify(a)).join(' ')}]`),
          config,
        });
      }
      case 'HEALTHCHECK': {
        if (ins.none) config.Healthcheck = { Test: ['NONE'] };
        else {
          const cmd = ins.command!;
          const test =
            cmd.form === 'exec'
              ? cmd.args[0] === 'CMD' || cmd.args[0] === 'CMD-SHELL'
                ? cmd.args
                : ['CMD', ...cmd.args]
              : ['CMD-SHELL', cmd.command];
          const ns = (ms: number | undefined) => (ms === undefined ? undefined : Math.round(ms * 1e6));
          config.Healthcheck = {
            Test: test,
            ...(ins.interval !== undefined ? { Interval: ns(ins.interval) } : {}),
            ...(ins.timeout !== undefined ? { Timeout: ns(ins.timeout) } : {}),
            ...(ins.startPeriod !== undefined ? { StartPeriod: ns(ins.startPeriod) } : {}),
            ...(ins.startInterval !== undefined ? { StartInterval: ns(ins.startInterval) } : {}),
            ...(ins.retries !== undefined ? { Retries: ins.retries } : {}),
          };
        }
        return this.commitStep(st, ins, {
          createdBy: nop(`HEALTHCHECK ${JSON.stringify(config.Healthcheck)}`),
          config,
        });
      }
      case 'ONBUILD': {
        const keyword = /^\s*(\S+)/.exec(ins.trigger)![1]!;
        const trigger = keyword.toUpperCase() + ins.trigger.trimStart().slice(keyword.length);
        config.OnBuild = [...(config.OnBuild ?? []), trigger];
        return this.commitStep(st, ins, { createdBy: nop(`ONBUILD ${trigger}`), config });
      }
      case 'RUN':
        return this.runStep(st, ins, config);
      case 'COPY':
      case 'ADD':
        return this.copyStep(stages, st, ins, config, vars);
    }
  }

  private async runStep(st: StageState, ins: RunInstruction, config: DockerContainerConfig): Promise<void> {
    const env = envMap(config.Env);
    // build args the step sees: declared in the stage, with a value, not shadowed by ENV
    const argEnv: string[] = [];
    for (const [k, v] of st.args) if (v !== undefined && !env.has(k)) argEnv.push(`${k}=${v}`);
    argEnv.sort(); // Docker lists them sorted in the history (`|2 A=1 B=2 /bin/sh -c …`)
    const proxyEnv: string[] = [];
    for (const [k, v] of this.buildArgs)
      if (PROXY_ARGS.has(k) && !st.args.has(k) && !env.has(k)) proxyEnv.push(`${k}=${v}`);

    let args: string[];
    let script: { name: string; content: string } | undefined;
    const heredocs = ins.heredocs;
    if (heredocs.length > 0 && ins.command.form === 'shell') {
      const only =
        heredocs.length === 1 && /^\d*<<-?\s*\S+$/.test(ins.command.command.trim())
          ? heredocs[0]!
          : undefined;
      if (only) {
        if (only.content.startsWith('#!')) {
          script = { name: `/.berth-heredoc-${randomBytes(6).toString('hex')}`, content: only.content };
          args = [script.name];
        } else args = shellForm(config, { form: 'shell', command: only.content });
      } else {
        const body = heredocs.map((h) => `${h.content}${h.name}\n`).join('');
        args = shellForm(config, { form: 'shell', command: `${ins.command.command}\n${body}` });
      }
    } else args = shellForm(config, ins.command);

    const createdBy =
      argEnv.length > 0 ? `|${argEnv.length} ${argEnv.join(' ')} ${args.join(' ')}` : args.join(' ');
    const mode = ins.network ?? this.opts.networkMode ?? 'none';
    const network: 'none' | 'host' = mode === 'host' ? 'host' : 'none';
    const stepNo = this.step;
    return this.commitStep(st, ins, {
      createdBy,
      cacheExtra: { network, script: script?.content },
      config,
      apply: async (rootfs, containerId) => {
        const user = resolveUser(rootfs, config.User);
        if (script) writeHeredocFile(rootfs, script.name, script.content, undefined, 0o755);
        const runEnv = [...(config.Env ?? []), ...argEnv, ...proxyEnv];
        if (!runEnv.some((e) => e.startsWith('PATH='))) runEnv.unshift(`PATH=${DEFAULT_PATH}`);
        this.emit({ type: 'running', step: stepNo, containerId });
        // the daemon makes a missing working directory before the process starts, as Docker's does
        const cwd = config.WorkingDir || '/';
        mkdirInRoot(rootfs, cwd);
        const etc = this.etcFiles(rootfs, containerId, network);
        let result: Awaited<ReturnType<ContainerRunner['run']>>;
        try {
          result = await this.deps.runner.run({
            id: containerId,
            rootfs,
            args,
            env: runEnv,
            cwd,
            user,
            network,
            hostname: shortId(containerId),
            files: etc.files,
            ...(this.opts.limits ? { limits: this.opts.limits } : {}),
            onOutput: (chunk) => this.emit({ type: 'output', step: stepNo, data: chunk.toString('utf8') }),
            ...(this.opts.signal ? { signal: this.opts.signal } : {}),
          });
        } catch (err) {
          etc.cleanup();
          if (err instanceof BuildError) throw err;
          throw new BuildError(
            'ERUN',
            `${ins.kind} could not start its container: ${(err as Error).message}`,
            {
              line: ins.line,
              step: `Step ${stepNo}/${this.total} : ${ins.original}`,
            },
          );
        }
        etc.cleanup();
        this.emit({ type: 'removed', step: stepNo, containerId });
        if (script) rmSync(secureJoin(rootfs, script.name), { force: true });
        this.checkAbort();
        if (result.exitCode !== 0) {
          const shown = ins.command.form === 'exec' ? JSON.stringify(ins.command.args) : args.join(' ');
          throw new BuildError(
            'ERUN',
            `The command '${shown}' returned a non-zero code: ${result.exitCode}`,
            {
              line: ins.line,
              step: `Step ${stepNo}/${this.total} : ${ins.original}`,
              exitCode: result.exitCode,
            },
          );
        }
        return true;
      },
    });
  }

  private async copyStep(
    stages: Stage[],
    st: StageState,
    ins: CopyInstruction,
    config: DockerContainerConfig,
    vars: Map<string, string | undefined>,
  ): Promise<void> {
    const at = `Dockerfile:${ins.line}: ${ins.kind}`;
    const expand = (w: string) => this.expand(w, vars, ins, false);
    const destWord = ins.json ? this.expand(ins.dest, vars, ins, true) : expand(ins.dest);
    const trailing = destWord.endsWith('/') || destWord === '.' || destWord.endsWith('/.');
    let dest = posix.resolve(config.WorkingDir || '/', destWord);
    if (trailing && !dest.endsWith('/')) dest += '/';
    const chmod = ins.chmod !== undefined ? parseChmod(expand(ins.chmod), at) : undefined;
    const chownSpec = ins.chown !== undefined ? expand(ins.chown) : undefined;

    // sources: heredocs, or paths in the context / another stage / an image
    const heredocFiles: { name: string; content: string }[] = [];
    const pathSources: string[] = [];
    for (const word of ins.sources) {
      const h = /^\d*<<-?(.+)$/.exec(word);
      const doc = h ? ins.heredocs.find((d) => d.name === h[1]!.replace(/['"]/g, '')) : undefined;
      if (doc) {
        const content = doc.expand ? this.expand(doc.content, vars, ins, true) : doc.content;
        heredocFiles.push({ name: doc.name, content });
        continue;
      }
      const src = ins.json ? this.expand(word, vars, ins, true) : expand(word);
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(src) || src.startsWith('git@')) {
        throw new BuildError(
          'EUNSUPPORTED',
          `${at}: remote sources are not supported by berth's builder (${src}); download the file into the build context instead`,
          { line: ins.line },
        );
      }
      pathSources.push(src);
    }

    let fromRef: { imageId: string | undefined; label: string } | undefined;
    if (ins.from !== undefined) {
      const ref = this.expand(ins.from, this.globalArgs, ins);
      const dep = stageRef(stages, st.stage.index, ref);
      if (dep) {
        if (!this.stageResults.has(dep.index))
          throw new BuildError('ENOTFOUND', `${at}: stage ${ref} was not built`);
        fromRef = { imageId: this.stageResults.get(dep.index), label: ref };
      } else if (/^\d+$/.test(ref)) {
        throw new BuildError('ENOTFOUND', `${at}: --from=${ref}: there is no earlier stage ${ref}`, {
          line: ins.line,
        });
      } else {
        const image = await this.resolveImage(ref, undefined);
        fromRef = { imageId: image.id, label: ref };
      }
    }

    const excludes = ins.exclude.map((e) => expand(e));
    const withTree = async <T>(fn: (tree: SourceTree) => Promise<T>): Promise<T> => {
      if (!fromRef) {
        if (excludes.length === 0) return fn(this.context);
        return fn({ root: this.context.root, ignore: this.context.ignore.with(excludes) });
      }
      const key = `berth-build-view-${randomBytes(8).toString('hex')}`;
      const mounts = await this.deps.images.view(key, fromRef.imageId);
      const mnt = mkdtempSync(join(this.mountDir(), 'from-'));
      try {
        mountAll(mounts, mnt);
        try {
          return await fn(
            excludes.length > 0 ? { root: mnt, ignore: new DockerIgnore(excludes) } : { root: mnt },
          );
        } finally {
          for (let i = 0; i < mounts.length; i++) unmount(mnt);
        }
      } finally {
        rmdirSync(mnt);
        await this.deps.images.remove(key);
      }
    };

    // the matched sources and their checksum decide the cache key
    const { matched, checksum } = await withTree(async (tree) => {
      const matched: string[] = [];
      for (const src of pathSources) {
        const m = matchSources(tree, src);
        if (m.length === 0) {
          throw new BuildError(
            'ENOTFOUND',
            `${at} failed: file not found in build context or excluded by .dockerignore: stat ${src}: file does not exist`,
            { line: ins.line, path: src },
          );
        }
        matched.push(...m);
      }
      return { matched, checksum: checksumSources(tree, matched) };
    });
    const sourcesShown = [
      ...heredocFiles.map((h) => `heredoc:${h.name}`),
      ...(pathSources.length > 0
        ? [`${fromRef ? `from:${fromRef.imageId ?? 'scratch'}:` : ''}${checksum}`]
        : []),
    ];
    const flags = [
      chownSpec !== undefined ? `--chown=${chownSpec}` : '',
      chmod !== undefined ? `--chmod=${chmod.toString(8)}` : '',
    ]
      .filter(Boolean)
      .join(' ');
    const createdBy = `/bin/sh -c #(nop) ${ins.kind} ${flags ? `${flags} ` : ''}${sourcesShown.join(' ')} in ${dest}`;
    const cacheExcludes = excludes.length > 0 ? { exclude: excludes } : {};
    return this.commitStep(st, ins, {
      createdBy,
      cacheExtra: { heredocs: heredocFiles, ...cacheExcludes },
      config,
      apply: async (rootfs) => {
        const owner = chownSpec !== undefined ? resolveChown(rootfs, chownSpec) : undefined;
        if (heredocFiles.length > 1 && !dest.endsWith('/')) {
          throw new BuildError(
            'EINVALID',
            `${at}: when copying more than one heredoc, the destination must be a directory and end with a /`,
          );
        }
        for (const h of heredocFiles) {
          const target = dest.endsWith('/') ? posix.join(dest, h.name) : dest;
          writeHeredocFile(rootfs, target, h.content, owner, chmod);
        }
        if (matched.length > 0) {
          await withTree((tree) =>
            copyInto({
              tree,
              sources: matched,
              rootfs,
              dest,
              ...(owner ? { owner } : {}),
              ...(chmod !== undefined ? { chmod } : {}),
              extractArchives: ins.kind === 'ADD',
              ...(excludes.length > 0 ? { exclude: new DockerIgnore(excludes) } : {}),
              what: at,
            }),
          );
        }
        return true;
      },
    });
  }

  /**
   * /etc/hosts, /etc/hostname (and with the host's network its /etc/resolv.conf) for a RUN
   * container, bind-mounted read-only as dockerd does. Mount points the engine had to create are
   * removed afterwards, so they do not end up in the layer (dockerd keeps them in an init layer).
   */
  private etcFiles(
    rootfs: string,
    containerId: string,
    network: 'none' | 'host',
  ): { files: { source: string; destination: string }[]; cleanup: () => void } {
    const etc = secureJoin(rootfs, '/etc');
    if (!existsSync(etc) || !lstatSync(etc).isDirectory()) return { files: [], cleanup: () => {} };
    const dir = mkdtempSync(join(this.mountDir(), 'etc-'));
    const hostname = shortId(containerId);
    const hostResolv =
      network === 'host' && existsSync('/etc/resolv.conf')
        ? readFileSync('/etc/resolv.conf', 'utf8')
        : undefined;
    const wanted: [string, string | undefined][] = [
      ['hosts', `127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n127.0.0.1\t${hostname}\n`],
      ['hostname', `${hostname}\n`],
      ['resolv.conf', hostResolv],
    ];
    const files: { source: string; destination: string }[] = [];
    const made: string[] = [];
    for (const [name, content] of wanted) {
      if (content === undefined) continue;
      // lstat, not stat: a symlink (resolv.conf -> /run/…) or a directory stays the image's
      const target = join(etc, name);
      let st: ReturnType<typeof lstatSync> | undefined;
      try {
        st = lstatSync(target);
      } catch {
        st = undefined;
      }
      if (st && !st.isFile()) continue;
      if (!st) made.push(target);
      writeFileSync(join(dir, name), content);
      files.push({ source: join(dir, name), destination: `/etc/${name}` });
    }
    return {
      files,
      cleanup: () => {
        for (const target of made) {
          try {
            const st = lstatSync(target);
            if (st.isFile() && st.size === 0) rmSync(target);
          } catch {
            // never made: the container did not start
          }
        }
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }

  private mountDir(): string {
    const dir = join(this.deps.root, 'mnt');
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  /** The cache lookup, the step's work in a snapshot, the commit, the cache store. */
  private async commitStep(st: StageState, ins: Instruction, desc: StepDesc): Promise<void> {
    const stepNo = this.step;
    const key = cacheKey([
      st.imageId ?? 'scratch',
      desc.createdBy,
      desc.cacheExtra ?? null,
      desc.config,
      desc.author ?? null,
    ]);
    if (!this.opts.noCache) {
      const hit = this.cache.get(key);
      const image = hit ? await this.deps.images.get(hit.imageId) : undefined;
      if (image) {
        this.emit({ type: 'cached', step: stepNo });
        st.imageId = image.id;
        st.config = structuredClone(image.config.config ?? {});
        if (desc.author) st.author = desc.author;
        this.emit({ type: 'stepDone', step: stepNo, imageId: image.id, cached: true });
        return;
      }
    }
    let snapshotKey: string | undefined;
    let changed = false;
    if (desc.apply) {
      const containerId = `berth-build-${randomBytes(16).toString('hex')}`;
      snapshotKey = containerId;
      const mounts = await this.deps.images.prepare(snapshotKey, st.imageId);
      const mnt = mkdtempSync(join(this.mountDir(), 'step-'));
      try {
        mountAll(mounts, mnt);
        try {
          changed = await desc.apply(mnt, containerId);
        } finally {
          for (let i = 0; i < mounts.length; i++) unmount(mnt);
        }
      } catch (err) {
        await this.deps.images.remove(snapshotKey);
        if (err instanceof BuildError && err.line === undefined) {
          throw new BuildError(err.code, err.message, { line: ins.line, column: ins.column });
        }
        throw err;
      } finally {
        rmdirSync(mnt);
      }
    }
    let image: BuildImage;
    try {
      image = await this.deps.images.commit({
        ...(st.imageId ? { parent: st.imageId } : {}),
        ...(snapshotKey ? { snapshotKey } : {}),
        config: desc.config,
        history: { createdBy: desc.createdBy, emptyLayer: !changed },
        ...((desc.author ?? st.author) ? { author: desc.author ?? st.author } : {}),
      });
    } catch (err) {
      // the commit consumes the snapshot only when it succeeds
      if (snapshotKey) await this.deps.images.remove(snapshotKey).catch(() => {});
      throw err;
    }
    this.cache.set(key, image.id);
    st.imageId = image.id;
    st.config = structuredClone(desc.config);
    this.emit({ type: 'stepDone', step: stepNo, imageId: image.id, cached: false });
  }
}

function ownerOf(u: { uid: number; gid: number }): Owner {
  return { uid: u.uid, gid: u.gid };
}

/**
 * Builds a Dockerfile: Docker's classic builder (one image per step, cache keyed by parent image and
 * step), RUN in real containers through `deps.runner`, images through `deps.images`.
 */
export function build(opts: BuildOptions, deps: BuilderDeps): Promise<BuildResult> {
  return new Executor(opts, deps).run();
}
