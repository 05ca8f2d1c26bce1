import type { HostedDomains, HostedDomainState } from '../../domains/hosted-domains.js';
import type { PagesApi } from './pages-api.js';
import type { CloudflarePagesDeployer } from './pages-deployer.js';

/** Custom domains of a project on its Pages project; Cloudflare validates them and issues TLS. */
export class PagesHostedDomains implements HostedDomains {
  constructor(
    private readonly api: PagesApi,
    private readonly deployer: CloudflarePagesDeployer,
  ) {}

  async cnameTarget(projectId: string): Promise<string> {
    return (await this.deployer.pagesProject(projectId)).subdomain;
  }

  async attach(projectId: string, domain: string): Promise<void> {
    const project = await this.deployer.pagesProject(projectId);
    const attached = await this.api.listDomains(project.name);
    if (!attached.some((d) => d.name === domain)) await this.api.addDomain(project.name, domain);
  }

  async detach(projectId: string, domain: string): Promise<void> {
    await this.api.removeDomain(this.deployer.projectName(projectId), domain);
  }

  async states(projectId: string): Promise<Map<string, HostedDomainState>> {
    const domains = await this.api.listDomains(this.deployer.projectName(projectId));
    return new Map(
      domains.map((d) => [
        d.name,
        {
          provider: 'cloudflare-pages',
          status: d.status,
          validationStatus: d.validationStatus,
          verificationStatus: d.verificationStatus,
          error: d.error,
        },
      ]),
    );
  }
}
