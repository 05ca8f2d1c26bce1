import { z } from 'zod';
import {
  ADVISORY_SEVERITIES,
  RegistryUnavailable,
  type Advisory,
  type PackageRegistry,
  type PackageSummary,
} from './package-registry.js';

export interface NpmRegistryOptions {
  /** Base URL of the registry the installs use (NPM_REGISTRY). */
  registry: string;
  /** Base URL of the weekly downloads endpoint, `<url><name>` (NPM_DOWNLOADS_URL). */
  downloadsUrl: string;
  timeoutMs: number;
}

// Names npm accepts (lower case, optional scope); anything else is never put in a URL.
const PACKAGE_NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;
const MAX_NAME = 214;

export function isValidPackageName(name: string): boolean {
  return name.length <= MAX_NAME && PACKAGE_NAME.test(name);
}

// npm's own install metadata request; registries without it send the full document.
const ABBREVIATED = 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*';

const packumentShape = z.object({
  name: z.string().optional(),
  versions: z.record(z.string(), z.unknown()).optional(),
  'dist-tags': z.record(z.string(), z.string()).optional(),
  time: z.record(z.string(), z.string()).optional(),
});

const advisoryShape = z.object({
  id: z.union([z.number(), z.string()]),
  url: z.string().default(''),
  title: z.string().default(''),
  severity: z.enum(ADVISORY_SEVERITIES).catch('moderate'),
  vulnerable_versions: z.string(),
});
const bulkShape = z.record(z.string(), z.array(z.unknown()));

/**
 * The npm registry HTTP API: `GET <registry>/<name>` (full packument, which has `time`),
 * `GET <downloads><name>` and `POST <registry>/-/npm/v1/security/advisories/bulk`. Every
 * request has a deadline, so a registry that hangs is an error, never a stuck build.
 */
export class NpmRegistry implements PackageRegistry {
  readonly url: string;

  constructor(private readonly options: NpmRegistryOptions) {
    this.url = options.registry.endsWith('/') ? options.registry : `${options.registry}/`;
  }

  async packument(
    name: string,
    signal?: AbortSignal,
    abbreviated = false,
  ): Promise<PackageSummary | undefined> {
    if (!isValidPackageName(name)) return undefined;
    // Scoped names keep their @ and escape the slash, as npm itself asks for them.
    const res = await this.request(this.url + encodeURIComponent(name).replace(/^%40/, '@'), {
      headers: { accept: abbreviated ? ABBREVIATED : 'application/json' },
      signal,
    });
    if (res.status === 404) return undefined;
    if (!res.ok) throw new RegistryUnavailable(`The registry answered ${res.status} for ${name}.`);
    const parsed = packumentShape.safeParse(await this.json(res, name));
    if (!parsed.success)
      throw new RegistryUnavailable(`The registry sent no packument for ${name}.`);
    const { versions = {}, time = {} } = parsed.data;
    const versionTimes = Object.fromEntries(Object.entries(time).filter(([v]) => v in versions));
    return {
      name,
      versions: Object.keys(versions),
      distTags: parsed.data['dist-tags'] ?? {},
      created: time.created,
      versionTimes,
    };
  }

  async weeklyDownloads(name: string, signal?: AbortSignal): Promise<number | undefined> {
    if (!isValidPackageName(name)) return undefined;
    try {
      const res = await this.request(this.options.downloadsUrl + name, { signal });
      if (!res.ok) return undefined;
      const body = (await res.json()) as { downloads?: unknown };
      return typeof body.downloads === 'number' ? body.downloads : undefined;
    } catch {
      // Downloads are a hint: no data is "unknown", never a failure.
      return undefined;
    }
  }

  async advisories(
    installed: Record<string, string[]>,
    signal?: AbortSignal,
  ): Promise<Record<string, Advisory[]>> {
    const res = await this.request(`${this.url}-/npm/v1/security/advisories/bulk`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(installed),
      signal,
    });
    if (!res.ok) throw new RegistryUnavailable(`The advisory service answered ${res.status}.`);
    const parsed = bulkShape.safeParse(await this.json(res, 'advisories'));
    if (!parsed.success) throw new RegistryUnavailable('The advisory service sent no advisories.');
    const out: Record<string, Advisory[]> = {};
    for (const [name, list] of Object.entries(parsed.data)) {
      out[name] = list.flatMap((a) => {
        const one = advisoryShape.safeParse(a);
        return one.success ? [one.data] : [];
      });
    }
    return out;
  }

  private async request(
    url: string,
    init: RequestInit & { signal?: AbortSignal | undefined },
  ): Promise<Response> {
    const deadline = AbortSignal.timeout(this.options.timeoutMs);
    const signal = init.signal ? AbortSignal.any([init.signal, deadline]) : deadline;
    // fetch refuses URLs with credentials; a registry URL may carry them (user:token@host).
    const target = new URL(url);
    const headers = new Headers(init.headers);
    if (target.username || target.password) {
      const pair = `${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}`;
      headers.set('authorization', `Basic ${Buffer.from(pair).toString('base64')}`);
      target.username = target.password = '';
    }
    try {
      return await fetch(target, { ...init, headers, signal, redirect: 'error' });
    } catch (err) {
      if (init.signal?.aborted) throw err;
      const why = deadline.aborted
        ? `no answer within ${this.options.timeoutMs} ms`
        : (err as Error).message;
      throw new RegistryUnavailable(`${target.host} could not be reached: ${why}.`);
    }
  }

  private async json(res: Response, what: string): Promise<unknown> {
    try {
      return await res.json();
    } catch {
      throw new RegistryUnavailable(`The registry sent a broken answer for ${what}.`);
    }
  }
}
