/**
 * A fake Cloudflare API for tests: node:http on 127.0.0.1 with a random port, serving the Pages
 * endpoints a Direct Upload deploy uses under `/client/v4`, with the real request and response
 * shapes (`{success, errors, messages, result}`). It checks what the real API checks and more:
 * the API token on account endpoints, a signed upload JWT with `exp` on asset endpoints
 * (expired → 401, code 8000013 as wrangler expects), that every manifest hash was uploaded and
 * that each uploaded value hashes (BLAKE3 of base64 + the manifest path's extension) to its
 * key. Every request is recorded; `failNext` makes the next calls answer 429 or 5xx.
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { blake3 } from 'hash-wasm';

export interface RecordedRequest {
  method: string;
  /** Path below /client/v4, without the query. */
  path: string;
  query: URLSearchParams;
  auth: string | undefined;
  /** JSON bodies parsed; multipart bodies as their string fields. */
  body: unknown;
  status: number;
}

export interface FakeProject {
  name: string;
  subdomain: string;
  productionBranch: string;
  deployments: FakeDeployment[];
  domains: Map<string, FakeDomain>;
}

export interface FakeDeployment {
  id: string;
  branch: string;
  environment: 'preview' | 'production';
  manifest: Record<string, string>;
  url: string;
  aliases: string[] | null;
  files: Record<string, string>;
}

export interface FakeDomain {
  name: string;
  status: 'initializing' | 'pending' | 'active' | 'error';
  validation: 'initializing' | 'pending' | 'active' | 'error';
  verification: 'pending' | 'active' | 'error';
  error: string;
}

interface Failure {
  status: number;
  retryAfter?: number;
  /** Only requests whose path matches (every request when absent). */
  match?: RegExp;
}

const UNAUTHORIZED = 8000013;
const PREFIX = '/client/v4';
type Json = ReturnType<typeof JSON.parse>;

export class FakeCloudflare {
  readonly requests: RecordedRequest[] = [];
  readonly projects = new Map<string, FakeProject>();
  /** Uploaded assets by hash: the base64 value and its content type. */
  readonly assets = new Map<string, { value: string; contentType: string }>();
  /** Seconds an upload JWT lives. */
  jwtTtlSeconds = 3600;
  private readonly jwtSecret = randomBytes(32);
  /** Seconds the fake's clock runs ahead of the caller's (see `advanceClock`). */
  private clockOffset = 0;
  private readonly failures: Failure[] = [];
  private server: Server | undefined;
  baseUrl = '';

  constructor(
    readonly accountId = 'fake-account',
    readonly apiToken = 'fake-cf-api-token-0123456789',
  ) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req, res);
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${port}${PREFIX}`;
    return this;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  /** The next `count` requests (matching `match`, if given) answer `status`. */
  failNext(count: number, failure: Failure): void {
    for (let i = 0; i < count; i++) this.failures.push(failure);
  }

  /**
   * Moves the fake's clock forward: tokens it issued earlier expire on its side while the
   * caller, reading `exp` by its own clock, still holds them for valid.
   */
  advanceClock(seconds: number): void {
    this.clockOffset += seconds;
  }

  private nowSeconds(): number {
    return Math.floor(Date.now() / 1000) + this.clockOffset;
  }

  /** Requests to a path matching `pattern`, e.g. /assets\/upload$/. */
  calls(pattern: RegExp, method?: string): RecordedRequest[] {
    return this.requests.filter((r) => pattern.test(r.path) && (!method || r.method === method));
  }

  /** A JWT as the upload-token endpoint issues it, for tests that need an expired one. */
  issueJwt(project: string, ttlSeconds = this.jwtTtlSeconds): string {
    const now = this.nowSeconds();
    const encode = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const body = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({
      sub: project,
      account_id: this.accountId,
      iat: now,
      exp: now + ttlSeconds,
      max_file_count_allowed: 20_000,
    })}`;
    return `${body}.${createHmac('sha256', this.jwtSecret).update(body).digest('base64url')}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const raw = await readBody(req);
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname.startsWith(PREFIX) ? url.pathname.slice(PREFIX.length) : url.pathname,
      query: url.searchParams,
      auth: req.headers.authorization,
      body: undefined,
      status: 0,
    };
    this.requests.push(record);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    try {
      record.body = await parseBody(req, raw, url);
      const failure = this.takeFailure(record.path);
      if (failure) {
        const headers: Record<string, string> =
          failure.retryAfter === undefined ? {} : { 'retry-after': String(failure.retryAfter) };
        send(failure.status, envelopeError(failure.status, 'Injected failure'), headers);
        return;
      }
      const [status, result, extra] = await this.route(record);
      send(status, status < 300 ? { ...ok(result), ...extra } : result);
    } catch (err) {
      send(500, envelopeError(8000000, (err as Error).message));
    }
  }

  private takeFailure(p: string): Failure | undefined {
    const i = this.failures.findIndex((f) => !f.match || f.match.test(p));
    return i < 0 ? undefined : this.failures.splice(i, 1)[0];
  }

  private async route(r: RecordedRequest): Promise<[number, unknown, object?]> {
    if (r.path.startsWith('/pages/assets/')) return this.assetRoute(r);
    if (r.auth !== `Bearer ${this.apiToken}`)
      return [403, envelopeError(10000, 'Authentication error')];
    const m = /^\/accounts\/([^/]+)\/pages\/projects(?:\/([^/]+))?(\/.*)?$/.exec(r.path);
    if (!m || m[1] !== this.accountId) return [404, envelopeError(7003, 'No route')];
    const [, , name, rest = ''] = m;
    if (!name && r.method === 'POST') return this.createProject(r.body as Json);
    const project = name ? this.projects.get(name) : undefined;
    if (!project) return [404, envelopeError(8000007, 'Project not found')];
    if (rest === '' && r.method === 'GET') return [200, projectJson(project)];
    if (rest === '/upload-token' && r.method === 'GET')
      return [200, { jwt: this.issueJwt(project.name) }];
    if (rest === '/deployments' && r.method === 'POST')
      return this.createDeployment(project, r.body as Record<string, string>);
    if (rest === '/deployments' && r.method === 'GET') return listDeployments(project, r.query);
    return this.domainRoute(project, rest, r);
  }

  private createProject(body: Json): [number, unknown] {
    const name = String(body?.name ?? '');
    if (!/^[a-z0-9][a-z0-9-]{0,57}$/.test(name))
      return [400, envelopeError(8000011, 'Invalid project name')];
    if (this.projects.has(name)) return [409, envelopeError(8000002, 'Project already exists')];
    const project: FakeProject = {
      name,
      subdomain: `${name}.pages.dev`,
      productionBranch: String(body.production_branch ?? 'main'),
      deployments: [],
      domains: new Map(),
    };
    this.projects.set(name, project);
    return [200, projectJson(project)];
  }

  private async assetRoute(r: RecordedRequest): Promise<[number, unknown]> {
    const jwt = verifyJwt(r.auth?.replace(/^Bearer /, '') ?? '', this.jwtSecret, this.nowSeconds());
    if (!jwt.ok) return [401, envelopeError(UNAUTHORIZED, jwt.reason)];
    const body = r.body as Json;
    switch (r.path) {
      case '/pages/assets/check-missing':
        return [200, (body.hashes as string[]).filter((h) => !this.assets.has(h))];
      case '/pages/assets/upload':
        for (const file of body as Array<Json>) {
          if (!/^[0-9a-f]{32}$/.test(file.key) || file.base64 !== true)
            return [400, envelopeError(8000096, `Invalid upload of ${file.key}`)];
          this.assets.set(file.key, { value: file.value, contentType: file.metadata?.contentType });
        }
        return [200, null];
      case '/pages/assets/upsert-hashes':
        return [200, null];
      default:
        return [404, envelopeError(7003, 'No route')];
    }
  }

  private async createDeployment(
    project: FakeProject,
    form: Record<string, string>,
  ): Promise<[number, unknown]> {
    const manifest = JSON.parse(form.manifest ?? '{}') as Record<string, string>;
    for (const [file, hash] of Object.entries(manifest)) {
      const asset = this.assets.get(hash);
      if (!asset) return [400, envelopeError(8000010, `${file}: asset ${hash} was never uploaded`)];
      const actual = (await blake3(asset.value + path.extname(file).slice(1))).slice(0, 32);
      if (actual !== hash)
        return [
          400,
          envelopeError(8000010, `${file}: uploaded content hashes to ${actual}, not ${hash}`),
        ];
    }
    const branch = form.branch ?? project.productionBranch;
    const environment = branch === project.productionBranch ? 'production' : 'preview';
    const id = randomUUID();
    const alias = branch.toLowerCase().replace(/[^a-z0-9-]/g, '-');
    const deployment: FakeDeployment = {
      id,
      branch,
      environment,
      manifest,
      url: `https://${id.slice(0, 8)}.${project.subdomain}`,
      aliases: environment === 'preview' ? [`https://${alias}.${project.subdomain}`] : null,
      files: Object.fromEntries(
        Object.entries(form).filter(([k]) => k === '_headers' || k === '_redirects'),
      ),
    };
    project.deployments.push(deployment);
    return [200, deploymentJson(project, deployment)];
  }

  private domainRoute(project: FakeProject, rest: string, r: RecordedRequest): [number, unknown] {
    const one = /^\/domains\/([^/]+)$/.exec(rest)?.[1];
    if (rest === '/domains' && r.method === 'GET')
      return [200, [...project.domains.values()].map(domainJson)];
    if (rest === '/domains' && r.method === 'POST') {
      const name = String((r.body as Json)?.name ?? '');
      if (project.domains.has(name)) return [409, envelopeError(8000018, 'Domain already added')];
      const domain: FakeDomain = {
        name,
        status: 'initializing',
        validation: 'initializing',
        verification: 'pending',
        error: '',
      };
      project.domains.set(name, domain);
      return [200, domainJson(domain)];
    }
    const domain = one ? project.domains.get(one) : undefined;
    if (!domain) return [404, envelopeError(8000009, 'Domain not found')];
    if (r.method === 'GET') return [200, domainJson(domain)];
    if (r.method === 'DELETE') {
      project.domains.delete(domain.name);
      return [200, null];
    }
    return [405, envelopeError(7001, 'Method not allowed')];
  }
}

/** A page of deployments, newest first, as the list endpoint answers (`env`, `page`, `per_page`). */
function listDeployments(p: FakeProject, query: URLSearchParams): [number, unknown, object] {
  const env = query.get('env');
  const perPage = Number(query.get('per_page') ?? 25);
  const page = Number(query.get('page') ?? 1);
  const all = p.deployments.filter((d) => !env || d.environment === env).reverse();
  const result = all.slice((page - 1) * perPage, page * perPage).map((d) => deploymentJson(p, d));
  const info = { page, per_page: perPage, count: result.length, total_count: all.length };
  return [200, result, { result_info: info }];
}

function ok(result: unknown) {
  return { success: true, errors: [], messages: [], result };
}

function envelopeError(code: number, message: string) {
  return { success: false, errors: [{ code, message }], messages: [], result: null };
}

function verifyJwt(
  token: string,
  secret: Buffer,
  nowSeconds: number,
): { ok: true } | { ok: false; reason: string } {
  const [header, payload, signature] = token.split('.');
  const expected = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
  if (!payload || signature !== expected) return { ok: false, reason: 'Invalid upload token' };
  const { exp } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp: number };
  if (exp <= nowSeconds) return { ok: false, reason: 'Upload token expired' };
  return { ok: true };
}

function projectJson(p: FakeProject) {
  const latest = p.deployments.at(-1);
  return {
    id: `proj-${p.name}`,
    name: p.name,
    subdomain: p.subdomain,
    production_branch: p.productionBranch,
    domains: [p.subdomain, ...p.domains.keys()],
    created_on: new Date(0).toISOString(),
    latest_deployment: latest ? deploymentJson(p, latest) : null,
    canonical_deployment: null,
    deployment_configs: { preview: {}, production: {} },
  };
}

function deploymentJson(p: FakeProject, d: FakeDeployment) {
  return {
    id: d.id,
    short_id: d.id.slice(0, 8),
    project_id: `proj-${p.name}`,
    project_name: p.name,
    environment: d.environment,
    url: d.url,
    aliases: d.aliases,
    created_on: new Date().toISOString(),
    deployment_trigger: { type: 'ad_hoc', metadata: { branch: d.branch } },
    latest_stage: { name: 'deploy', status: 'success' },
  };
}

function domainJson(d: FakeDomain) {
  return {
    id: `dom-${d.name}`,
    name: d.name,
    status: d.status,
    validation_data: { status: d.validation, method: 'http', error_message: d.error || undefined },
    verification_data: { status: d.verification },
    certificate_authority: 'google',
    created_on: new Date(0).toISOString(),
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** JSON as JSON; multipart form data (a deployment) as its fields, files read as text. */
async function parseBody(req: IncomingMessage, raw: Buffer, url: URL): Promise<unknown> {
  if (raw.length === 0) return undefined;
  const type = req.headers['content-type'] ?? '';
  if (type.startsWith('application/json')) return JSON.parse(raw.toString('utf8'));
  if (!type.startsWith('multipart/form-data')) return raw.toString('utf8');
  const form = await new Request(url, {
    method: 'POST',
    headers: { 'content-type': type },
    body: raw,
  }).formData();
  const fields: Record<string, string> = {};
  for (const [key, value] of form.entries())
    fields[key] = typeof value === 'string' ? value : await value.text();
  return fields;
}
