/**
 * A fake npm registry for tests: node:http on 127.0.0.1 with a random port, speaking the real
 * registry's JSON shapes, enough for npm itself to install from it:
 *
 * - `GET /<name>` (a scoped name as `@scope%2fname`): the full packument, with `dist-tags`,
 *   `versions` (each with `dist.tarball`, `dist.shasum`, `dist.integrity` and its peers) and
 *   `time` (`created`, `modified` and one entry per version); 404 `{"error":"Not found"}`.
 * - `GET /<name>/-/<file>.tgz`: a real gzipped tarball (`package/package.json`, `index.js`).
 * - `POST /-/npm/v1/security/advisories/bulk`: `{name: [versions]}` in, `{name: [advisory]}` out,
 *   only for packages asked about, as the real endpoint answers `npm audit`.
 * - `GET /downloads/point/last-week/<name>`: `{downloads, start, end, package}` (the separate
 *   downloads API of the public npm, served here on the same host for the tests).
 *
 * Every request is recorded; `mode` makes the advisories or the whole registry fail or hang.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tar from 'tar';

export interface FakeVersion {
  peerDependencies?: Record<string, string>;
  dependencies?: Record<string, string>;
}

export interface FakePackage {
  name: string;
  versions: Record<string, FakeVersion>;
  /** When the package was first published. */
  created: Date;
  /** Weekly downloads; undefined: the downloads API answers 404 for it. */
  downloads?: number;
  /** dist-tags.latest; the highest version when not given. */
  latest?: string;
}

export interface FakeAdvisory {
  id: number;
  url: string;
  title: string;
  severity: 'info' | 'low' | 'moderate' | 'high' | 'critical';
  vulnerable_versions: string;
}

export interface FakeRegistryRequest {
  method: string;
  path: string;
  body: unknown;
  authorization: string | undefined;
}

export type FakeRegistryMode = 'normal' | 'advisories-down' | 'hang';

export class FakeRegistry {
  readonly requests: FakeRegistryRequest[] = [];
  mode: FakeRegistryMode = 'normal';
  private readonly packages = new Map<string, FakePackage>();
  private readonly tarballs = new Map<string, Buffer>();
  private readonly advisories = new Map<string, FakeAdvisory[]>();
  private readonly hanging = new Set<ServerResponse>();
  private server: Server | undefined;
  url = '';

  /** Where npm finds packages (NPM_REGISTRY). */
  get registryUrl(): string {
    return `${this.url}/`;
  }

  /** NPM_DOWNLOADS_URL for this fake. */
  get downloadsUrl(): string {
    return `${this.url}/downloads/point/last-week/`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        res.writeHead(500).end(String(err));
      });
    });
    await new Promise<void>((r) => this.server?.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  /** Publishes a package: builds a tarball per version. */
  async publish(pkg: FakePackage): Promise<void> {
    const dir = await mkdtemp(path.join(tmpdir(), 'fake-registry-'));
    try {
      for (const [version, meta] of Object.entries(pkg.versions)) {
        const root = path.join(dir, version, 'package');
        await mkdir(root, { recursive: true });
        const manifest = { name: pkg.name, version, main: 'index.js', ...meta };
        await writeFile(path.join(root, 'package.json'), JSON.stringify(manifest));
        await writeFile(
          path.join(root, 'index.js'),
          `module.exports = ${JSON.stringify(`${pkg.name}@${version}`)};\n`,
        );
        const file = path.join(dir, `${version}.tgz`);
        await tar.c({ gzip: true, cwd: path.join(dir, version), file, portable: true }, [
          'package',
        ]);
        this.tarballs.set(this.tarballPath(pkg.name, version), await readFile(file));
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    this.packages.set(pkg.name, pkg);
  }

  advise(name: string, advisories: FakeAdvisory[]): void {
    this.advisories.set(name, advisories);
  }

  private tarballPath(name: string, version: string): string {
    return `/${name}/-/${name.split('/').pop()}-${version}.tgz`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', this.url);
    const pathname = decodeURIComponent(url.pathname);
    this.requests.push({
      method: req.method ?? 'GET',
      path: pathname,
      body: raw ? (JSON.parse(raw) as unknown) : undefined,
      authorization: req.headers.authorization,
    });
    if (this.mode === 'hang') {
      this.hanging.add(res);
      return;
    }
    if (req.method === 'POST' && pathname === '/-/npm/v1/security/advisories/bulk') {
      if (this.mode === 'advisories-down') return json(res, 503, { error: 'unavailable' });
      return json(res, 200, this.bulk(JSON.parse(raw) as Record<string, string[]>));
    }
    const downloads = /^\/downloads\/point\/last-week\/(.+)$/.exec(pathname);
    if (downloads) {
      const pkg = this.packages.get(downloads[1] as string);
      if (pkg?.downloads === undefined)
        return json(res, 404, { error: `package ${downloads[1]} not found` });
      return json(res, 200, {
        downloads: pkg.downloads,
        start: '2026-11-27',
        end: '2026-12-03',
        package: pkg.name,
      });
    }
    const tarball = this.tarballs.get(pathname);
    if (tarball) {
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(tarball);
      return;
    }
    const pkg = this.packages.get(pathname.slice(1));
    if (!pkg || req.method !== 'GET') return json(res, 404, { error: 'Not found' });
    return json(res, 200, this.packument(pkg));
  }

  private bulk(asked: Record<string, string[]>): Record<string, FakeAdvisory[]> {
    const out: Record<string, FakeAdvisory[]> = {};
    for (const name of Object.keys(asked)) {
      const list = this.advisories.get(name);
      if (list) out[name] = list;
    }
    return out;
  }

  private packument(pkg: FakePackage): Record<string, unknown> {
    const versions = Object.keys(pkg.versions);
    const latest = pkg.latest ?? versions[versions.length - 1];
    const time: Record<string, string> = {
      created: pkg.created.toISOString(),
      modified: pkg.created.toISOString(),
    };
    const docs: Record<string, unknown> = {};
    for (const [version, meta] of Object.entries(pkg.versions)) {
      time[version] = pkg.created.toISOString();
      const file = this.tarballs.get(this.tarballPath(pkg.name, version)) as Buffer;
      docs[version] = {
        name: pkg.name,
        version,
        ...meta,
        dist: {
          tarball: `${this.url}${this.tarballPath(pkg.name, version)}`,
          shasum: createHash('sha1').update(file).digest('hex'),
          integrity: `sha512-${createHash('sha512').update(file).digest('base64')}`,
        },
      };
    }
    return { name: pkg.name, 'dist-tags': { latest }, versions: docs, time };
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

export const DAY_MS = 24 * 60 * 60 * 1000;

/** A date `days` ago. */
export function daysAgo(days: number): Date {
  return new Date(Date.now() - days * DAY_MS);
}
