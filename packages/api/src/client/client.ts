// DockerClient: typed calls of the Docker Engine API for the berth CLI (and anyone else), over a
// unix socket or TCP, with docker's API version negotiation.
import type { IncomingMessage } from 'node:http';
import type { Duplex, Readable } from 'node:stream';
import type { z } from 'zod';
import { DockerApiError } from './errors.js';
import { DEFAULT_HOST, parseHost } from './host.js';
import { parseJsonMessages, parseJsonStream, splitJsonStream } from './json-stream.js';
import { type RequestOptions, readBody, type TlsOptions, Transport } from './transport.js';
import {
  ContainerInspect,
  ContainerSummary,
  CreateResponse,
  DeleteItem,
  Event,
  ExecInspect,
  IdResponse,
  ImageSummary,
  Info,
  type JsonMessage,
  Network,
  PathStat,
  PruneReport,
  StatsSample,
  SystemDf,
  TopResponse,
  Version,
  Volume,
  VolumeList,
  WaitResponse,
} from './types.js';

/** The newest API version this client speaks (Docker CLI 28's). */
export const CLIENT_API_VERSION = '1.50';
/** What a daemon that does not say its version is assumed to speak (docker's fallback). */
const FALLBACK_API_VERSION = '1.24';

export type DockerClientOptions =
  | { socketPath: string; version?: string }
  | { host: string; tls?: TlsOptions; version?: string };

/** Docker's filter arguments: name → values; sent as {"name":{"value":true}} like docker's CLI does. */
export type ClientFilters = Record<string, string[]>;

function encodeFilters(filters: ClientFilters | undefined): string | undefined {
  if (!filters || Object.keys(filters).length === 0) return undefined;
  const out: Record<string, Record<string, boolean>> = {};
  for (const [k, vs] of Object.entries(filters)) {
    out[k] = {};
    for (const v of vs) out[k]![v] = true;
  }
  return JSON.stringify(out);
}

function compareVersions(a: string, b: string): number {
  const [a1 = 0, a2 = 0] = a.split('.').map(Number);
  const [b1 = 0, b2 = 0] = b.split('.').map(Number);
  return a1 - b1 || a2 - b2;
}

export interface AttachOptions {
  stream?: boolean;
  stdin?: boolean;
  stdout?: boolean;
  stderr?: boolean;
  logs?: boolean;
  detachKeys?: string;
}

export interface LogsOptions {
  follow?: boolean;
  stdout?: boolean;
  stderr?: boolean;
  since?: string;
  until?: string;
  timestamps?: boolean;
  tail?: string;
}

export interface ExecCreateOptions {
  Cmd: string[];
  AttachStdin?: boolean;
  AttachStdout?: boolean;
  AttachStderr?: boolean;
  Tty?: boolean;
  Env?: string[];
  WorkingDir?: string;
  User?: string;
  Privileged?: boolean;
  DetachKeys?: string;
  ConsoleSize?: [number, number];
}

export interface BuildOptions {
  t?: string[];
  dockerfile?: string;
  buildargs?: Record<string, string>;
  target?: string;
  nocache?: boolean;
  q?: boolean;
  rm?: boolean;
  forcerm?: boolean;
  pull?: boolean;
  labels?: Record<string, string>;
  networkmode?: string;
  platform?: string;
}

export class DockerClient {
  readonly transport: Transport;
  /** The API version in use: fixed by the caller or negotiated on the first call. */
  private apiVersion: string | undefined;
  private negotiation: Promise<string> | undefined;

  constructor(opts: DockerClientOptions = { host: DEFAULT_HOST }) {
    if ('socketPath' in opts) {
      this.transport = new Transport({
        kind: 'unix',
        socketPath: opts.socketPath,
        url: `unix://${opts.socketPath}`,
      });
    } else {
      this.transport = new Transport(parseHost(opts.host), opts.tls);
    }
    this.apiVersion = opts.version;
  }

  get hostUrl(): string {
    return this.transport.address.url;
  }

  /** GET /_ping: resolves with the daemon's API version (header Api-Version). */
  async ping(signal?: AbortSignal): Promise<{ apiVersion: string | undefined; osType: string | undefined }> {
    const res = await this.transport.request({ path: '/_ping', signal });
    await readBody(res);
    const h = (name: string) => {
      const v = res.headers[name];
      return Array.isArray(v) ? v[0] : v;
    };
    return { apiVersion: h('api-version'), osType: h('ostype') };
  }

  /** The version negotiated with the daemon: the lower of the daemon's and the client's. */
  async negotiatedVersion(): Promise<string> {
    if (this.apiVersion) return this.apiVersion;
    this.negotiation ??= this.ping().then(({ apiVersion }) => {
      const server = apiVersion ?? FALLBACK_API_VERSION;
      this.apiVersion = compareVersions(server, CLIENT_API_VERSION) < 0 ? server : CLIENT_API_VERSION;
      return this.apiVersion;
    });
    return this.negotiation;
  }

  private async versioned(o: RequestOptions): Promise<RequestOptions> {
    return { ...o, path: `/v${await this.negotiatedVersion()}${o.path}` };
  }

  /** A request whose 2xx response is returned as a stream. */
  async stream(o: RequestOptions): Promise<IncomingMessage> {
    return this.transport.request(await this.versioned(o));
  }

  /** The answer parsed and checked: `value` as sent (key order kept, for inspect), `data` as the schema makes it. */
  private async fetchJson<S extends z.ZodType>(
    schema: S,
    o: RequestOptions,
  ): Promise<{ value: unknown; data: z.infer<S> }> {
    const res = await this.stream(o);
    const text = (await readBody(res)).toString('utf8');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new DockerApiError(
        res.statusCode ?? 500,
        `${o.path}: the daemon's answer is not JSON: ${text.slice(0, 200)}`,
      );
    }
    const r = schema.safeParse(value);
    if (!r.success) {
      const issue = r.error.issues[0];
      throw new DockerApiError(
        res.statusCode ?? 500,
        `${o.path}: unexpected answer at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`,
      );
    }
    return { value, data: r.data };
  }

  private async json<S extends z.ZodType>(schema: S, o: RequestOptions): Promise<z.infer<S>> {
    return (await this.fetchJson(schema, o)).data;
  }

  private async jsonRaw(schema: z.ZodType, o: RequestOptions): Promise<unknown> {
    return (await this.fetchJson(schema, o)).value;
  }

  private async empty(o: RequestOptions): Promise<void> {
    await readBody(await this.stream(o));
  }

  async hijack(o: RequestOptions): Promise<Duplex> {
    return this.transport.hijack(await this.versioned(o));
  }

  close(): void {
    this.transport.close();
  }

  // --- system -------------------------------------------------------------------------------

  version(): Promise<Version> {
    return this.json(Version, { path: '/version' });
  }
  info(): Promise<Info> {
    return this.json(Info, { path: '/info' });
  }
  systemDf(): Promise<SystemDf> {
    return this.json(SystemDf, { path: '/system/df' });
  }
  /** Streams events until the signal aborts (or `until` passes). */
  async *events(
    opts: { since?: string; until?: string; filters?: ClientFilters; signal?: AbortSignal } = {},
  ): AsyncGenerator<Event> {
    const res = await this.stream({
      path: '/events',
      query: { since: opts.since, until: opts.until, filters: encodeFilters(opts.filters) },
      signal: opts.signal,
    });
    for await (const piece of splitJsonStream(res)) {
      const e = Event.parse(JSON.parse(piece));
      // timeNano exceeds 2^53: keep its digits as sent for printing
      const nanos = /"timeNano"\s*:\s*(\d+)/.exec(piece)?.[1];
      yield nanos ? { ...e, timeNanoText: nanos } : e;
    }
  }

  // --- containers ---------------------------------------------------------------------------

  containerCreate(body: Record<string, unknown>, opts: { name?: string; platform?: string } = {}) {
    return this.json(CreateResponse, {
      method: 'POST',
      path: '/containers/create',
      query: { name: opts.name, platform: opts.platform },
      body,
    });
  }
  containerList(opts: { all?: boolean; limit?: number; size?: boolean; filters?: ClientFilters } = {}) {
    return this.json(ContainerSummary.array(), {
      path: '/containers/json',
      query: {
        all: opts.all ? 1 : undefined,
        limit: opts.limit !== undefined && opts.limit > 0 ? opts.limit : undefined,
        size: opts.size ? 1 : undefined,
        filters: encodeFilters(opts.filters),
      },
    });
  }
  containerInspect(id: string, opts: { size?: boolean } = {}) {
    return this.json(ContainerInspect, {
      path: `/containers/${encodeURIComponent(id)}/json`,
      query: { size: opts.size ? 1 : undefined },
    });
  }
  /** The raw inspect JSON (for `inspect`, which prints everything). */
  containerInspectRaw(id: string): Promise<unknown> {
    return this.jsonRaw(ContainerInspect, { path: `/containers/${encodeURIComponent(id)}/json` });
  }
  containerStart(id: string, opts: { detachKeys?: string } = {}) {
    return this.empty({
      method: 'POST',
      path: `/containers/${encodeURIComponent(id)}/start`,
      query: { detachKeys: opts.detachKeys },
    });
  }
  containerStop(id: string, opts: { t?: number; signal?: string } = {}) {
    return this.empty({
      method: 'POST',
      path: `/containers/${encodeURIComponent(id)}/stop`,
      query: { t: opts.t, signal: opts.signal },
    });
  }
  containerRestart(id: string, opts: { t?: number; signal?: string } = {}) {
    return this.empty({
      method: 'POST',
      path: `/containers/${encodeURIComponent(id)}/restart`,
      query: { t: opts.t, signal: opts.signal },
    });
  }
  containerKill(id: string, signal?: string) {
    return this.empty({
      method: 'POST',
      path: `/containers/${encodeURIComponent(id)}/kill`,
      query: { signal },
    });
  }
  containerPause(id: string) {
    return this.empty({ method: 'POST', path: `/containers/${encodeURIComponent(id)}/pause` });
  }
  containerUnpause(id: string) {
    return this.empty({ method: 'POST', path: `/containers/${encodeURIComponent(id)}/unpause` });
  }
  containerRemove(id: string, opts: { force?: boolean; v?: boolean; link?: boolean } = {}) {
    return this.empty({
      method: 'DELETE',
      path: `/containers/${encodeURIComponent(id)}`,
      query: {
        force: opts.force ? 1 : undefined,
        v: opts.v ? 1 : undefined,
        link: opts.link ? 1 : undefined,
      },
    });
  }
  containerRename(id: string, name: string) {
    return this.empty({
      method: 'POST',
      path: `/containers/${encodeURIComponent(id)}/rename`,
      query: { name },
    });
  }
  /**
   * POST /containers/{id}/wait. The daemon sends headers at once and the body when the condition is met,
   * so `started` resolves as soon as the wait is registered (docker's run waits for that before start).
   */
  containerWait(
    id: string,
    condition?: 'not-running' | 'next-exit' | 'removed',
    signal?: AbortSignal,
  ): { started: Promise<void>; result: Promise<WaitResponse> } {
    const res = this.stream({
      method: 'POST',
      path: `/containers/${encodeURIComponent(id)}/wait`,
      query: { condition },
      signal,
    });
    const result = res.then(async (r) => {
      const text = (await readBody(r)).toString('utf8');
      try {
        return WaitResponse.parse(JSON.parse(text));
      } catch {
        throw new DockerApiError(500, `wait: unexpected answer: ${text.slice(0, 200)}`);
      }
    });
    return { started: res.then(() => undefined), result };
  }
  containerLogs(id: string, opts: LogsOptions, signal?: AbortSignal) {
    return this.stream({
      path: `/containers/${encodeURIComponent(id)}/logs`,
      query: {
        follow: opts.follow ? 1 : undefined,
        stdout: opts.stdout === false ? undefined : 1,
        stderr: opts.stderr === false ? undefined : 1,
        since: opts.since,
        until: opts.until,
        timestamps: opts.timestamps ? 1 : undefined,
        tail: opts.tail,
      },
      signal,
    });
  }
  containerAttach(id: string, opts: AttachOptions): Promise<Duplex> {
    return this.hijack({
      path: `/containers/${encodeURIComponent(id)}/attach`,
      query: {
        stream: opts.stream === false ? undefined : 1,
        stdin: opts.stdin ? 1 : undefined,
        stdout: opts.stdout ? 1 : undefined,
        stderr: opts.stderr ? 1 : undefined,
        logs: opts.logs ? 1 : undefined,
        detachKeys: opts.detachKeys,
      },
    });
  }
  containerResize(id: string, h: number, w: number) {
    return this.empty({
      method: 'POST',
      path: `/containers/${encodeURIComponent(id)}/resize`,
      query: { h, w },
    });
  }
  containerTop(id: string, psArgs?: string) {
    return this.json(TopResponse, {
      path: `/containers/${encodeURIComponent(id)}/top`,
      query: { ps_args: psArgs },
    });
  }
  /** One stats sample (stream=false) or a stream of them. */
  async *containerStats(
    id: string,
    opts: { stream: boolean; signal?: AbortSignal },
  ): AsyncGenerator<StatsSample> {
    const res = await this.stream({
      path: `/containers/${encodeURIComponent(id)}/stats`,
      query: { stream: opts.stream ? 1 : 0 },
      signal: opts.signal,
    });
    for await (const v of parseJsonStream(res)) yield StatsSample.parse(v);
  }
  containerExport(id: string) {
    return this.stream({ path: `/containers/${encodeURIComponent(id)}/export` });
  }
  /** GET /containers/{id}/archive: a tar of the path and its stat. */
  async containerGetArchive(
    id: string,
    path: string,
  ): Promise<{ tar: IncomingMessage; stat: PathStat | undefined }> {
    const tar = await this.stream({ path: `/containers/${encodeURIComponent(id)}/archive`, query: { path } });
    return { tar, stat: decodePathStat(tar.headers['x-docker-container-path-stat']) };
  }
  async containerStatPath(id: string, path: string): Promise<PathStat | undefined> {
    const res = await this.stream({
      method: 'HEAD',
      path: `/containers/${encodeURIComponent(id)}/archive`,
      query: { path },
    });
    await readBody(res);
    return decodePathStat(res.headers['x-docker-container-path-stat']);
  }
  containerPutArchive(
    id: string,
    path: string,
    tar: Readable,
    opts: { noOverwriteDirNonDir?: boolean; copyUIDGID?: boolean } = {},
  ) {
    return this.empty({
      method: 'PUT',
      path: `/containers/${encodeURIComponent(id)}/archive`,
      query: {
        path,
        noOverwriteDirNonDir: opts.noOverwriteDirNonDir ? 'true' : undefined,
        copyUIDGID: opts.copyUIDGID ? 'true' : undefined,
      },
      body: tar,
    });
  }
  containerPrune(filters?: ClientFilters) {
    return this.json(PruneReport, {
      method: 'POST',
      path: '/containers/prune',
      query: { filters: encodeFilters(filters) },
    });
  }

  // --- exec ---------------------------------------------------------------------------------

  async execCreate(id: string, body: ExecCreateOptions): Promise<string> {
    const r = await this.json(IdResponse, {
      method: 'POST',
      path: `/containers/${encodeURIComponent(id)}/exec`,
      body,
    });
    return r.Id;
  }
  /** Starts an exec attached (hijacked stream). */
  execStartAttached(execId: string, opts: { tty: boolean; consoleSize?: [number, number] }): Promise<Duplex> {
    return this.hijack({
      path: `/exec/${encodeURIComponent(execId)}/start`,
      body: { Detach: false, Tty: opts.tty, ConsoleSize: opts.consoleSize },
    });
  }
  execStartDetached(execId: string, opts: { tty: boolean }) {
    return this.empty({
      method: 'POST',
      path: `/exec/${encodeURIComponent(execId)}/start`,
      body: { Detach: true, Tty: opts.tty },
    });
  }
  execInspect(execId: string) {
    return this.json(ExecInspect, { path: `/exec/${encodeURIComponent(execId)}/json` });
  }
  execResize(execId: string, h: number, w: number) {
    return this.empty({
      method: 'POST',
      path: `/exec/${encodeURIComponent(execId)}/resize`,
      query: { h, w },
    });
  }

  // --- images -------------------------------------------------------------------------------

  imageList(opts: { all?: boolean; filters?: ClientFilters; digests?: boolean } = {}) {
    return this.json(ImageSummary.array(), {
      path: '/images/json',
      query: {
        all: opts.all ? 1 : undefined,
        filters: encodeFilters(opts.filters),
        digests: opts.digests ? 1 : undefined,
      },
    });
  }
  imageInspectRaw(name: string): Promise<unknown> {
    return this.jsonRaw(IdResponse, { path: `/images/${encodeURIComponent(name)}/json` });
  }
  /** POST /images/create?fromImage: the progress stream. */
  async imagePull(
    ref: string,
    opts: { tag?: string; platform?: string; auth?: string; signal?: AbortSignal } = {},
  ): Promise<AsyncGenerator<JsonMessage>> {
    const res = await this.stream({
      method: 'POST',
      path: '/images/create',
      query: { fromImage: ref, tag: opts.tag, platform: opts.platform },
      headers: opts.auth ? { 'X-Registry-Auth': opts.auth } : {},
      signal: opts.signal,
    });
    return parseJsonMessages(res);
  }
  async imagePush(
    name: string,
    opts: { tag?: string; auth?: string } = {},
  ): Promise<AsyncGenerator<JsonMessage>> {
    const res = await this.stream({
      method: 'POST',
      path: `/images/${encodeURIComponent(name)}/push`,
      query: { tag: opts.tag },
      // docker always sends this header; an empty auth is base64 of {}
      headers: { 'X-Registry-Auth': opts.auth ?? Buffer.from('{}').toString('base64') },
    });
    return parseJsonMessages(res);
  }
  imageTag(source: string, repo: string, tag?: string) {
    return this.empty({
      method: 'POST',
      path: `/images/${encodeURIComponent(source)}/tag`,
      query: { repo, tag },
    });
  }
  imageRemove(name: string, opts: { force?: boolean; noprune?: boolean } = {}) {
    return this.json(DeleteItem.array(), {
      method: 'DELETE',
      path: `/images/${encodeURIComponent(name)}`,
      query: { force: opts.force ? 1 : undefined, noprune: opts.noprune ? 1 : undefined },
    });
  }
  imagePrune(filters?: ClientFilters) {
    return this.json(PruneReport, {
      method: 'POST',
      path: '/images/prune',
      query: { filters: encodeFilters(filters) },
    });
  }
  /** GET /images/get?names=…: a Docker archive stream. */
  imageSave(names: string[]) {
    return this.stream({ path: `/images/get${repeated('names', names)}` });
  }
  async imageLoad(tar: Readable, opts: { quiet?: boolean } = {}): Promise<AsyncGenerator<JsonMessage>> {
    const res = await this.stream({
      method: 'POST',
      path: '/images/load',
      query: { quiet: opts.quiet ? 1 : undefined },
      body: tar,
    });
    return parseJsonMessages(res);
  }
  /** POST /images/create?fromSrc=-: imports a rootfs tarball. */
  async imageImport(
    tar: Readable,
    opts: { repo?: string; tag?: string; changes?: string[]; message?: string; platform?: string } = {},
  ): Promise<AsyncGenerator<JsonMessage>> {
    const res = await this.stream({
      method: 'POST',
      path: `/images/create${repeated('changes', opts.changes ?? [])}`,
      query: { fromSrc: '-', repo: opts.repo, tag: opts.tag, message: opts.message, platform: opts.platform },
      body: tar,
    });
    return parseJsonMessages(res);
  }
  async build(context: Readable, opts: BuildOptions): Promise<AsyncGenerator<JsonMessage>> {
    const res = await this.stream({
      method: 'POST',
      path: `/build${repeated('t', opts.t ?? [])}`,
      query: {
        dockerfile: opts.dockerfile,
        buildargs: opts.buildargs ? JSON.stringify(opts.buildargs) : undefined,
        target: opts.target,
        nocache: opts.nocache ? 1 : undefined,
        q: opts.q ? 1 : undefined,
        rm: opts.rm === false ? 0 : 1,
        forcerm: opts.forcerm ? 1 : undefined,
        pull: opts.pull ? 1 : undefined,
        labels: opts.labels ? JSON.stringify(opts.labels) : undefined,
        networkmode: opts.networkmode,
        platform: opts.platform,
      },
      body: context,
      headers: { 'Content-Type': 'application/x-tar' },
    });
    return parseJsonMessages(res);
  }

  // --- volumes ------------------------------------------------------------------------------

  volumeCreate(body: {
    Name?: string;
    Driver?: string;
    DriverOpts?: Record<string, string>;
    Labels?: Record<string, string>;
  }) {
    return this.json(Volume, { method: 'POST', path: '/volumes/create', body });
  }
  async volumeList(filters?: ClientFilters) {
    return this.json(VolumeList, { path: '/volumes', query: { filters: encodeFilters(filters) } });
  }
  volumeInspectRaw(name: string): Promise<unknown> {
    return this.jsonRaw(Volume, { path: `/volumes/${encodeURIComponent(name)}` });
  }
  volumeRemove(name: string, opts: { force?: boolean } = {}) {
    return this.empty({
      method: 'DELETE',
      path: `/volumes/${encodeURIComponent(name)}`,
      query: { force: opts.force ? 1 : undefined },
    });
  }
  volumePrune(filters?: ClientFilters) {
    return this.json(PruneReport, {
      method: 'POST',
      path: '/volumes/prune',
      query: { filters: encodeFilters(filters) },
    });
  }

  // --- networks -----------------------------------------------------------------------------

  async networkCreate(body: Record<string, unknown>): Promise<{ Id: string; Warning?: string }> {
    return this.json(IdResponse, { method: 'POST', path: '/networks/create', body });
  }
  networkList(filters?: ClientFilters) {
    return this.json(Network.array(), { path: '/networks', query: { filters: encodeFilters(filters) } });
  }
  networkInspectRaw(id: string): Promise<unknown> {
    return this.jsonRaw(Network, { path: `/networks/${encodeURIComponent(id)}` });
  }
  networkRemove(id: string) {
    return this.empty({ method: 'DELETE', path: `/networks/${encodeURIComponent(id)}` });
  }
  networkConnect(id: string, container: string, endpointConfig?: Record<string, unknown>) {
    return this.empty({
      method: 'POST',
      path: `/networks/${encodeURIComponent(id)}/connect`,
      body: { Container: container, EndpointConfig: endpointConfig },
    });
  }
  networkDisconnect(id: string, container: string, force?: boolean) {
    return this.empty({
      method: 'POST',
      path: `/networks/${encodeURIComponent(id)}/disconnect`,
      body: { Container: container, Force: force ?? false },
    });
  }
  networkPrune(filters?: ClientFilters) {
    return this.json(PruneReport, {
      method: 'POST',
      path: '/networks/prune',
      query: { filters: encodeFilters(filters) },
    });
  }
}

/** A query key that repeats (names=a&names=b), put in the path since Query holds one value per key. */
function repeated(key: string, values: string[]): string {
  return values.length ? `?${values.map((v) => `${key}=${encodeURIComponent(v)}`).join('&')}` : '';
}

function decodePathStat(header: string | string[] | undefined): PathStat | undefined {
  const v = Array.isArray(header) ? header[0] : header;
  if (!v) return undefined;
  try {
    return PathStat.parse(JSON.parse(Buffer.from(v, 'base64').toString('utf8')));
  } catch {
    return undefined;
  }
}
