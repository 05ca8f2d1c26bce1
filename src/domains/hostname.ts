import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';
import { ANY_CONTROL, LONE_SURROGATE, describeFirst } from '../text.js';

/**
 * Validation of a custom domain a user asks the worker to serve. The result is the name in
 * the form DNS and TLS certificates use (lower-case ASCII, IDNA as punycode, no trailing
 * dot), so two spellings of one name always compare equal. Pure: no DNS is consulted here.
 */

export type DomainCheck = { ok: true; domain: string } | { ok: false; reason: string };

export interface DomainOptions {
  /** Names the worker itself answers for (its preview suffix, its CNAME target). */
  reservedSuffixes: readonly string[];
}

const MAX_NAME = 253;
const MAX_LABEL = 63;
/** Anything longer cannot shrink to 253 characters; refused before IDNA does any work. */
const MAX_INPUT = 1024;

/**
 * Top-level names that never resolve on the public internet: RFC 6761 and 6762 special-use
 * names, RFC 9476 `.alt`, `.internal` (set aside by ICANN for private use), and the suffixes
 * home and office networks commonly use on their own.
 */
const RESERVED_TLDS = [
  'local',
  'internal',
  'localhost',
  'test',
  'example',
  'invalid',
  'onion',
  'arpa',
  'alt',
  'lan',
  'home',
  'corp',
  'intranet',
  'private',
] as const;

/** RFC 2606 names kept for documentation; they resolve, but nobody can own them. */
const DOCUMENTATION_NAMES = ['example.com', 'example.net', 'example.org'] as const;

/** Format characters that IDNA would silently drop; ZWJ and ZWNJ are validated by IDNA. */
const INVISIBLE = /(?![\u200C\u200D])\p{Cf}/u;
/** A label that URL parsers and inet_aton read as a number (decimal, octal or hex). */
const NUMERIC_LABEL = /^(?:0x[0-9a-f]*|[0-9]+)$/;
const LABEL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

const fail = (reason: string): DomainCheck => ({ ok: false, reason });

export function normalizeDomain(input: string, options: DomainOptions): DomainCheck {
  const raw = input.trim();
  const refused = characterProblem(raw) ?? ipOrNumberProblem(raw.toLowerCase());
  if (refused) return fail(refused);
  const converted = domainToASCII(raw.toLowerCase());
  if (converted === '') return fail('is not a valid domain name (check for unusual characters)');
  const domain = converted.endsWith('.') ? converted.slice(0, -1) : converted;
  // IDNA maps full-width digits and dots, so an address can appear only now.
  const problem =
    (isIP(domain) !== 0 ? 'must not be an IP address' : undefined) ??
    shapeProblem(domain) ??
    reservedProblem(domain, options.reservedSuffixes) ??
    (domain.includes('.') ? undefined : 'must have at least two labels, like shop.com');
  return problem ? fail(problem) : { ok: true, domain };
}

/** Characters no domain holds, each named by the mistake that usually puts it there. */
function characterProblem(raw: string): string | undefined {
  if (raw === '') return 'must not be empty';
  if (raw.length > MAX_INPUT) return `is too long (at most ${MAX_NAME} characters)`;
  const control = describeFirst(raw, ANY_CONTROL);
  if (control) return `must not contain control characters (${control})`;
  if (LONE_SURROGATE.test(raw)) return 'must be valid Unicode text';
  if (/\s/u.test(raw)) return 'must not contain spaces';
  const invisible = describeFirst(raw, INVISIBLE);
  if (invisible) return `must not contain invisible characters (${invisible})`;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) return 'must be a bare domain name, without https://';
  if (raw.includes('*')) return 'must not be a wildcard; add each name on its own';
  if (raw.includes('@')) return 'must not contain a user name or `@`';
  if (/[/\\?#]/.test(raw)) return 'must not contain a path, query or fragment';
  if (ipLiteral(raw)) return 'must not be an IP address';
  if (raw.includes(':')) return 'must not include a port';
  if (raw.includes('%')) return 'must not contain percent-encoded characters';
  const odd = /[\x21-\x2c\x3a-\x40\x5b-\x60\x7b-\x7e]/.exec(raw);
  if (odd) return `must not contain \`${odd[0]}\`; use letters, digits, hyphens and dots`;
  return undefined;
}

/** `[::1]`, `::ffff:127.0.0.1`, `[::1]:53`, `127.0.0.1:80`: an address, with or without port. */
function ipLiteral(raw: string): boolean {
  const bracketed = /^\[([^\]]*)\](?::\d*)?$/.exec(raw);
  if (bracketed) return isIP(bracketed[1] ?? '') !== 0;
  if (isIP(raw) !== 0) return true;
  return /^[^:]+:\d*$/.test(raw) && isIP(raw.slice(0, raw.indexOf(':'))) !== 0;
}

/**
 * A name that ends in a number is read as an IPv4 address by browsers and by inet_aton
 * (`2130706433`, `0x7f.1` and `127.1` all mean 127.0.0.1), so it can never be a host name.
 */
function ipOrNumberProblem(lower: string): string | undefined {
  const labels = (lower.endsWith('.') ? lower.slice(0, -1) : lower).split('.');
  if (!NUMERIC_LABEL.test(labels.at(-1) ?? '')) return undefined;
  if (labels.every((label) => NUMERIC_LABEL.test(label))) return 'must not be an IP address';
  return 'must end in a name, not a number';
}

function shapeProblem(domain: string): string | undefined {
  if (domain.length > MAX_NAME) {
    return `is too long: at most ${MAX_NAME} characters once written in ASCII (punycode)`;
  }
  const labels = domain.split('.');
  if (labels.some((label) => label === ''))
    return 'must not contain empty labels (`..` or a leading dot)';
  if (labels.some((label) => label.length > MAX_LABEL)) {
    return `each label (the parts between dots) must be at most ${MAX_LABEL} characters`;
  }
  for (const label of labels) {
    if (label.startsWith('-') || label.endsWith('-')) {
      return 'labels must not start or end with a hyphen';
    }
    if (!LABEL.test(label)) return 'may only contain letters, digits, hyphens and dots';
  }
  if (/^[0-9]+$/.test(labels.at(-1) ?? '')) return 'must end in a name, not a number';
  return undefined;
}

const isAtOrUnder = (domain: string, suffix: string) =>
  domain === suffix || domain.endsWith(`.${suffix}`);

function reservedProblem(domain: string, ownSuffixes: readonly string[]): string | undefined {
  if (isAtOrUnder(domain, 'localhost')) {
    return "`localhost` names point at the visitor's own computer and cannot be published";
  }
  const tld = RESERVED_TLDS.find((name) => isAtOrUnder(domain, name));
  if (tld) return `\`.${tld}\` names are reserved and cannot be published`;
  const documentation = DOCUMENTATION_NAMES.find((name) => isAtOrUnder(domain, name));
  if (documentation)
    return `\`${documentation}\` is reserved for documentation and cannot be published`;
  const own = ownSuffixes.map(suffixForm).find((suffix) => suffix && isAtOrUnder(domain, suffix));
  if (own) return `\`${own}\` and the names under it belong to this service and cannot be claimed`;
  return undefined;
}

/** A configured suffix in the same form as a checked name; '' (matching nothing) if unusable. */
function suffixForm(suffix: string): string {
  const trimmed = suffix.trim().toLowerCase().replace(/^\.+/, '').replace(/\.$/, '');
  return trimmed === '' ? '' : domainToASCII(trimmed);
}
