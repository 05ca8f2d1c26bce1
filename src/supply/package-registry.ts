/**
 * The package registry the worker's installs use, as the supply-chain checks see it: package
 * metadata (the packument), weekly downloads, and the bulk advisory endpoint of `npm audit`.
 */

export interface PackageSummary {
  name: string;
  /** Every published version. */
  versions: string[];
  distTags: Record<string, string>;
  /** When the package was first published (ISO), if the registry says. */
  created: string | undefined;
  /** Publish time of each version (ISO), where the registry says. */
  versionTimes: Record<string, string>;
}

/** One advisory of the bulk endpoint (`POST /-/npm/v1/security/advisories/bulk`). */
export interface Advisory {
  id: number | string;
  url: string;
  title: string;
  severity: AdvisorySeverity;
  /** A semver range, e.g. `<4.17.21`. */
  vulnerable_versions: string;
}

export const ADVISORY_SEVERITIES = ['info', 'low', 'moderate', 'high', 'critical'] as const;
export type AdvisorySeverity = (typeof ADVISORY_SEVERITIES)[number];

/** The registry did not answer usefully: down, too slow, or an error status. */
export class RegistryUnavailable extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'RegistryUnavailable';
  }
}

export interface PackageRegistry {
  /** The registry's base URL (as the installs use it). */
  readonly url: string;
  /**
   * undefined when the registry has no such package; throws RegistryUnavailable otherwise.
   * `abbreviated` asks for the install metadata only (no publish times): much smaller for
   * large packages, enough to resolve a version.
   */
  packument(
    name: string,
    signal?: AbortSignal,
    abbreviated?: boolean,
  ): Promise<PackageSummary | undefined>;
  /** Downloads in the last week; undefined when unknown (no data, or the service is down). */
  weeklyDownloads(name: string, signal?: AbortSignal): Promise<number | undefined>;
  /** Advisories for the given versions by package name; throws RegistryUnavailable. */
  advisories(
    installed: Record<string, string[]>,
    signal?: AbortSignal,
  ): Promise<Record<string, Advisory[]>>;
}
