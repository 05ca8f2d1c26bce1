import type { ArtifactStore } from '../artifacts/artifact-store.js';
import type { Config } from '../config/config.js';
import type { HostedDomains } from '../domains/hosted-domains.js';
import type { Deployer } from './deployer.js';

/**
 * The deployer DEPLOYER names, and the custom domains it hosts itself (none for local). The
 * Cloudflare SDK is loaded only when chosen: importing it takes over a second and ~50 MB,
 * which every other process and test would pay for nothing.
 */
export async function createDeployer(
  config: Config,
  store: ArtifactStore,
  local: Deployer,
): Promise<{ deployer: Deployer; hosted: HostedDomains | undefined }> {
  const deploy = config.deploy;
  if (deploy.kind === 'local') return { deployer: local, hosted: undefined };
  const [{ PagesApi }, { CloudflarePagesDeployer }, { PagesHostedDomains }] = await Promise.all([
    import('./cloudflare-pages/pages-api.js'),
    import('./cloudflare-pages/pages-deployer.js'),
    import('./cloudflare-pages/pages-domains.js'),
  ]);
  const api = new PagesApi({
    accountId: deploy.accountId,
    apiToken: deploy.apiToken,
    baseUrl: deploy.apiBaseUrl,
  });
  const deployer = new CloudflarePagesDeployer({
    api,
    store,
    projectPrefix: deploy.projectPrefix,
    // wrangler's schedule: 1 s, 2 s, 4 s … between attempts of one request.
    upload: { retries: 5, backoffMs: 1000 },
  });
  return { deployer, hosted: new PagesHostedDomains(api, deployer) };
}
