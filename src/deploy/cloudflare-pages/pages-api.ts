import Cloudflare, { NotFoundError } from 'cloudflare';

/**
 * The Cloudflare calls a Pages deploy makes. Project, deployment and domain calls go through
 * the official SDK (its own retries honour `retry-after` on 429 and 5xx). The upload token and
 * the asset endpoints are not in the SDK: like wrangler, they are plain `fetch` calls, the
 * asset ones authorised by the project's upload JWT instead of the API token; their retries
 * belong to the uploader, which also knows how to get a fresh JWT.
 */

export interface PagesApiOptions {
  accountId: string;
  apiToken: string;
  /** https://api.cloudflare.com/client/v4 (tests point it at a fake). */
  baseUrl: string;
  /** Retries of SDK calls after the first attempt. */
  sdkRetries?: number;
  timeoutMs?: number;
}

export interface PagesProject {
  name: string;
  /** `<name>.pages.dev`, or another free name Cloudflare picked when that one was taken. */
  subdomain: string;
  productionBranch: string;
}

export interface PagesDeployment {
  id: string;
  /** The deployment's own address, `https://<short id>.<subdomain>`. */
  url: string;
  /** The branch alias for a preview, e.g. `https://build-01h….<subdomain>`. */
  aliases: string[];
}

export interface UploadPayloadFile {
  key: string;
  value: string;
  metadata: { contentType: string };
  base64: true;
}

export interface PagesDomain {
  name: string;
  status: string;
  validationStatus: string | null;
  verificationStatus: string | null;
  error: string | null;
}

/** A failed call of an asset endpoint or of the upload token: what the retry rules look at. */
export class PagesApiError extends Error {
  constructor(
    message: string,
    /** HTTP status; undefined when no response came back (the network failed). */
    readonly status: number | undefined,
    /** Seconds the server asked to wait (429), when it said. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'PagesApiError';
  }
}

interface Envelope<T> {
  success: boolean;
  errors: Array<{ code: number; message: string }>;
  result: T;
}

export class PagesApi {
  private readonly sdk: Cloudflare;

  constructor(private readonly options: PagesApiOptions) {
    this.sdk = new Cloudflare({
      apiToken: options.apiToken,
      // Explicit, so the SDK never falls back to credentials in the environment.
      apiKey: null,
      apiEmail: null,
      userServiceKey: null,
      baseURL: options.baseUrl,
      maxRetries: options.sdkRetries ?? 4,
      timeout: options.timeoutMs ?? 60_000,
    });
  }

  private get account() {
    return { account_id: this.options.accountId };
  }

  /** Reads the Pages project, creating it on first use. */
  async ensureProject(name: string, productionBranch: string): Promise<PagesProject> {
    try {
      return toProject(await this.sdk.pages.projects.get(name, this.account));
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
    }
    const created = await this.sdk.pages.projects.create({
      ...this.account,
      name,
      production_branch: productionBranch,
    });
    return toProject(created);
  }

  async createDeployment(
    project: string,
    input: {
      manifest: Record<string, string>;
      branch: string;
      headers?: string;
      redirects?: string;
    },
  ): Promise<PagesDeployment> {
    const deployment = await this.sdk.pages.projects.deployments.create(project, {
      ...this.account,
      manifest: JSON.stringify(input.manifest),
      branch: input.branch,
      ...(input.headers === undefined ? {} : { _headers: new File([input.headers], '_headers') }),
      ...(input.redirects === undefined
        ? {}
        : { _redirects: new File([input.redirects], '_redirects') }),
    });
    return { id: deployment.id, url: deployment.url, aliases: deployment.aliases ?? [] };
  }

  /**
   * The newest successful deployment of a preview branch, if one is on the first page of the
   * project's preview deployments (newest first). A miss only costs a new deployment.
   */
  async findPreview(project: string, branch: string): Promise<PagesDeployment | undefined> {
    const page = await this.sdk.pages.projects.deployments.list(project, {
      ...this.account,
      env: 'preview',
    });
    const found = page.result.find(
      (d) =>
        d.deployment_trigger?.metadata?.branch === branch &&
        d.latest_stage?.name === 'deploy' &&
        d.latest_stage.status === 'success',
    );
    return found && { id: found.id, url: found.url, aliases: found.aliases ?? [] };
  }

  /** A short-lived JWT that authorises the asset endpoints for one project. */
  async uploadToken(project: string): Promise<string> {
    const path = `/accounts/${this.options.accountId}/pages/projects/${project}/upload-token`;
    const result = await this.call<{ jwt: string }>('GET', path, this.options.apiToken);
    return result.jwt;
  }

  /** The hashes among `hashes` that Pages does not hold yet. */
  checkMissing(jwt: string, hashes: string[]): Promise<string[]> {
    return this.call<string[]>('POST', '/pages/assets/check-missing', jwt, { hashes });
  }

  async upload(jwt: string, files: UploadPayloadFile[]): Promise<void> {
    await this.call('POST', '/pages/assets/upload', jwt, files);
  }

  /** Marks the hashes as used now, so Pages keeps them for the next deploy's check. */
  async upsertHashes(jwt: string, hashes: string[]): Promise<void> {
    await this.call('POST', '/pages/assets/upsert-hashes', jwt, { hashes });
  }

  async addDomain(project: string, domain: string): Promise<PagesDomain> {
    return toDomain(
      await this.sdk.pages.projects.domains.create(project, { ...this.account, name: domain }),
    );
  }

  /** Removes a domain; one Pages does not know is already removed. */
  async removeDomain(project: string, domain: string): Promise<void> {
    try {
      await this.sdk.pages.projects.domains.delete(domain, {
        ...this.account,
        project_name: project,
      });
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
    }
  }

  /** The project's domains with their status; none while the project does not exist. */
  async listDomains(project: string): Promise<PagesDomain[]> {
    try {
      const page = await this.sdk.pages.projects.domains.list(project, this.account);
      return page.result.map(toDomain);
    } catch (err) {
      if (err instanceof NotFoundError) return [];
      throw err;
    }
  }

  private async call<T>(method: 'GET' | 'POST', path: string, bearer: string, body?: unknown) {
    let res: Response;
    try {
      res = await fetch(`${this.options.baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${bearer}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 60_000),
      });
    } catch (err) {
      throw new PagesApiError(`${method} ${path}: ${(err as Error).message}`, undefined);
    }
    const envelope = (await res.json().catch(() => undefined)) as Envelope<T> | undefined;
    if (res.ok && envelope?.success) return envelope.result;
    const reason = envelope?.errors?.map((e) => `${e.code} ${e.message}`).join('; ');
    const retryAfter = Number(res.headers.get('retry-after'));
    throw new PagesApiError(
      `${method} ${path} answered ${res.status}${reason ? `: ${reason}` : ''}`,
      res.status,
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
    );
  }
}

function toProject(p: Cloudflare.Pages.Project): PagesProject {
  return {
    name: p.name,
    subdomain: p.subdomain ?? `${p.name}.pages.dev`,
    productionBranch: p.production_branch,
  };
}

type SdkDomain = Cloudflare.Pages.Projects.DomainListResponse;

function toDomain(d: SdkDomain): PagesDomain {
  return {
    name: d.name,
    status: d.status,
    validationStatus: d.validation_data?.status ?? null,
    verificationStatus: d.verification_data?.status ?? null,
    error: d.validation_data?.error_message || d.verification_data?.error_message || null,
  };
}
