/**
 * Every code a build can end with (`error.code` of GET /v1/builds/:id). Closed: a stage fails
 * only with a code listed here, and codes are a contract: add them, never rename or reuse.
 *
 * `retryable` says whether running the same job again could end differently. It is true only
 * for infrastructure faults; a failure caused by the project (it does not compile, it writes
 * too much) fails the build once, because a retry would repeat it and spend the AI work again.
 */
export const BUILD_ERRORS = {
  INTERNAL: { retryable: true },
  BUILD_CANCELLED: { retryable: false },
  // The engine is down: the build ends at once and says "try again later" rather than holding
  // a queue slot through retries (the engine's own client already retried).
  AI_UNAVAILABLE: { retryable: false },
  AI_BUDGET_EXCEEDED: { retryable: false },
  // The user's AI-time balance could not cover the next engine call (a fix round).
  QUOTA_EXCEEDED: { retryable: false },
  // The engine cannot run on this worker (CLAUDE_BIN missing or unreadable): the operator's fix.
  AI_ENGINE_MISCONFIGURED: { retryable: false },
  // The engine cannot do this request at all (the offline engine and an app it did not write).
  AI_REQUEST_UNSUPPORTED: { retryable: false },
  // An update the engine could apply none of: no identical version is built; the live one stays.
  UPDATE_NOTHING_TO_CHANGE: { retryable: false },

  BUILD_INVALID_PACKAGE_JSON: { retryable: false },
  BUILD_NO_OUTPUT: { retryable: false },
  BUILD_OUTPUT_TOO_LARGE: { retryable: false },
  BUILD_DISK_LIMIT: { retryable: false },
  BUILD_TYPESCRIPT_ERROR: { retryable: false },
  BUILD_UNRESOLVED_IMPORT: { retryable: false },
  BUILD_SYNTAX_ERROR: { retryable: false },
  BUILD_SCRIPT_MISSING: { retryable: false },
  // The project builds for a server (Next.js without `output: 'export'`, API routes, server
  // actions, middleware; Astro with an SSR adapter): previews serve files only.
  BUILD_NEEDS_SERVER: { retryable: false },
  // A static export cannot do what the app asks (a dynamic route without its list of paths,
  // next/image with the default loader).
  BUILD_EXPORT_UNSUPPORTED: { retryable: false },

  DEPENDENCY_NOT_FOUND: { retryable: false },
  DEPENDENCY_VERSION_NOT_FOUND: { retryable: false },
  DEPENDENCY_LOCKFILE_OUTDATED: { retryable: false },
  DEPENDENCY_CONFLICT: { retryable: false },
  DEPENDENCY_NETWORK: { retryable: false },
  DEPENDENCY_MISSING: { retryable: false },
  DEPENDENCY_INSTALL_FAILED: { retryable: false },
  // A git, URL or tarball source, or a lockfile entry on another host than the registry.
  DEPENDENCY_SOURCE_REFUSED: { retryable: false },
  // The dependency policy refused a package before install (young, rarely downloaded, or one
  // letter from a popular name, with DEPENDENCY_POLICY=refuse).
  DEPENDENCY_REFUSED: { retryable: false },
  // The registry could not be asked about a new dependency (down, or no answer in time).
  DEPENDENCY_REGISTRY_UNREACHABLE: { retryable: false },
  // The audit found an installed version at or above AUDIT_FAIL_LEVEL.
  DEPENDENCY_VULNERABLE: { retryable: false },

  SANDBOX_OUTPUT_LIMIT: { retryable: false },
  SANDBOX_MEMORY_LIMIT: { retryable: false },
  // The process could not be started at all (EAGAIN, ENOMEM): the host, not the project.
  SANDBOX_KILLED: { retryable: true },
  // The sandbox user could not reach a folder the worker set up (a DATA_DIR under a 0700
  // home): the operator's fix, and every build fails the same way until then.
  SANDBOX_PERMISSION_DENIED: { retryable: false },

  INSTALL_TIMEOUT: { retryable: false },
  VALIDATE_TIMEOUT: { retryable: false },
  BUILD_TIMEOUT: { retryable: false },
  PACKAGE_TIMEOUT: { retryable: false },
  DEPLOY_TIMEOUT: { retryable: false },
  INSTALL_FAILED: { retryable: false },
  VALIDATE_FAILED: { retryable: false },
  BUILD_FAILED: { retryable: false },
  PACKAGE_FAILED: { retryable: false },
  DEPLOY_FAILED: { retryable: false },
} as const satisfies Record<string, { retryable: boolean }>;

export type BuildErrorCode = keyof typeof BUILD_ERRORS;

/** The codes as a list, for schemas (the OpenAPI document lists them). */
export const BUILD_ERROR_CODES = Object.keys(BUILD_ERRORS) as [BuildErrorCode, ...BuildErrorCode[]];

export function isBuildErrorCode(code: string): code is BuildErrorCode {
  return Object.hasOwn(BUILD_ERRORS, code);
}
