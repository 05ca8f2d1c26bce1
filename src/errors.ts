/**
 * The closed set of error codes a client can see. Codes are a stable contract: add new ones,
 * never rename or reuse. Each maps to one HTTP status and a default hint for people.
 */
export const ERROR_CATALOG = {
  VALIDATION_FAILED: {
    status: 400,
    hint: 'Fix the field named in the message and send the request again.',
  },
  INVALID_JSON: { status: 400, hint: 'Send a well-formed JSON body.' },
  AUTH_MISSING: {
    status: 401,
    hint: 'Sign the request: send x-sheen-timestamp, x-sheen-nonce and x-sheen-signature (see the README).',
  },
  AUTH_INVALID_SIGNATURE: {
    status: 401,
    hint: 'Sign METHOD, path with query, timestamp, nonce and the SHA-256 of the exact body bytes with a current secret.',
  },
  AUTH_TIMESTAMP_SKEW: {
    status: 401,
    hint: 'Use the current unix time in seconds and check the client clock.',
  },
  AUTH_REPLAYED: { status: 401, hint: 'Use a fresh random nonce for every request.' },
  WEBHOOK_SIGNATURE_INVALID: {
    status: 401,
    hint: 'Sign as Standard Webhooks with INBOUND_WEBHOOK_SECRET: webhook-id, webhook-timestamp (now, in seconds) and webhook-signature v1 over id.timestamp.body.',
  },
  QUOTA_EXCEEDED: {
    status: 402,
    hint: 'Not enough AI time left: wait for the next period or ask for more (plans and bonuses are set by the main app).',
  },
  NOT_FOUND: { status: 404, hint: 'Check the URL and the id in it.' },
  METHOD_NOT_ALLOWED: { status: 405, hint: 'Check the HTTP method for this route.' },
  CONFLICT: { status: 409, hint: 'Reload the resource and try again.' },
  VERSION_NOT_READY: {
    status: 409,
    hint: 'Only a version whose status is ready can be rolled back to or published.',
  },
  DOMAIN_TAKEN: {
    status: 409,
    hint: 'A domain serves one project: remove it from the other project first, or use another name.',
  },
  PAYLOAD_TOO_LARGE: { status: 413, hint: 'Send a smaller body.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, hint: 'Send the body as application/json.' },
  RATE_LIMITED: { status: 429, hint: 'Wait for the number of seconds in Retry-After.' },
  INTERNAL: {
    status: 500,
    hint: 'Try again later; if it persists, report the requestId to the operator.',
  },
  SERVICE_UNAVAILABLE: {
    status: 503,
    hint: 'A service the worker needs is down; wait for the number of seconds in Retry-After and send the request again.',
  },
  CONSOLE_SESSION_REQUIRED: {
    status: 401,
    hint: 'Sign in to the console with the link the worker printed at start, or one from `npm run console-link`.',
  },
  CONSOLE_SIGNIN_INVALID: {
    status: 401,
    hint: 'Sign-in links work once and expire: restart the worker for a new one, or mint one with `npm run console-link`.',
  },
  CSRF_INVALID: {
    status: 403,
    hint: 'Reload the console page and submit the form again; requests from other sites are refused.',
  },
  IMPORT_UNSUPPORTED_ARCHIVE: {
    status: 400,
    hint: 'Send the project as a .tar.gz, .tgz or .zip file (for example made by `sheen import <folder>`).',
  },
  IMPORT_UNSAFE_ENTRY: {
    status: 400,
    hint: 'Archive only regular files and folders with relative names: no links, devices, FIFOs, absolute paths, `..`, control characters or .git internals.',
  },
  IMPORT_NESTED_ARCHIVE: {
    status: 400,
    hint: 'Unpack the inner archive and import its files, or leave it out of the project.',
  },
  IMPORT_TOO_LARGE: {
    status: 400,
    hint: 'Leave out node_modules, build output and large assets (IMPORT_MAX_BYTES and IMPORT_MAX_UNPACKED_BYTES set the limits).',
  },
  IMPORT_TOO_MANY_FILES: {
    status: 400,
    hint: 'Leave out node_modules and generated files (IMPORT_MAX_FILES sets the limit).',
  },
  IMPORT_COMPRESSION_RATIO: {
    status: 400,
    hint: 'The archive expands far more than a project does: send the project files themselves (IMPORT_MAX_RATIO sets the limit).',
  },
  IMPORT_NOT_A_PROJECT: {
    status: 400,
    hint: 'Import a folder with a package.json (or an index.html) at its top, or inside a single top-level folder.',
  },
} as const satisfies Record<string, { status: number; hint: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOG;

export interface AppErrorOptions {
  hint?: string;
  cause?: unknown;
  retryable?: boolean;
  /** Extra structured detail safe to show a client (never tool output or secrets). */
  details?: Record<string, unknown>;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly hint: string;
  readonly retryable: boolean;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.hint = options.hint ?? ERROR_CATALOG[code].hint;
    this.retryable = options.retryable ?? false;
    this.details = options.details;
  }

  get status(): number {
    return ERROR_CATALOG[this.code].status;
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

/** The one JSON shape every client-visible failure takes. */
export interface ErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    hint: string;
    requestId: string;
    details?: Record<string, unknown>;
  };
}
