/**
 * A hosting provider that serves custom domains itself (Cloudflare Pages): a domain claimed
 * here must also be attached there, and the provider's own validation is part of its state.
 * Absent with the local deployer, where the worker serves every domain.
 */
export interface HostedDomainState {
  provider: 'cloudflare-pages';
  /** The provider's word for the domain: initializing, pending, active, error… */
  status: string;
  validationStatus: string | null;
  verificationStatus: string | null;
  error: string | null;
}

export interface HostedDomains {
  /** The host name a project's custom domains point their CNAME at. */
  cnameTarget(projectId: string): Promise<string>;
  /** Attaches a domain; attaching one already attached is harmless. */
  attach(projectId: string, domain: string): Promise<void>;
  /** Detaches a domain; one the provider does not hold is already detached. */
  detach(projectId: string, domain: string): Promise<void>;
  /** What the provider says of each of the project's domains, by name. */
  states(projectId: string): Promise<Map<string, HostedDomainState>>;
}
