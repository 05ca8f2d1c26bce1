import { randomBytes } from 'node:crypto';
import { promises as dns } from 'node:dns';

/**
 * Proof that whoever asks to attach a custom domain controls its DNS: a TXT record holding a
 * token the worker made, and the domain pointed at the worker's CNAME target. DNS outcomes
 * (missing records, dead servers) are results, never exceptions, so a caller can store them
 * and show them to the user as they are.
 */

export interface DnsRecord {
  type: 'TXT' | 'CNAME';
  name: string;
  value: string;
}

export const CHALLENGE_LABEL = '_sheen-challenge';

/** The records the user is asked to create, in the order a DNS provider's form takes them. */
export function expectedRecords(domain: string, token: string, cnameTarget: string): DnsRecord[] {
  return [
    { type: 'TXT', name: `${CHALLENGE_LABEL}.${domain}`, value: token },
    { type: 'CNAME', name: domain, value: cnameTarget },
  ];
}

export const DNS_CHECK_CODES = [
  'VERIFIED',
  'TXT_MISSING',
  'TXT_MISMATCH',
  'CNAME_MISSING',
  'CNAME_MISMATCH',
  'NXDOMAIN',
  'TIMEOUT',
  'DNS_ERROR',
] as const;
export type DnsCheckCode = (typeof DNS_CHECK_CODES)[number];

export interface DnsCheckResult {
  verified: boolean;
  code: DnsCheckCode;
  /** What is wrong, in words for the domain's owner; null once verified. */
  error: string | null;
  checkedAt: Date;
}

/** Checks the records of `expectedRecords`; `domain` as `normalizeDomain` returns it. */
export interface DomainVerifier {
  verify(domain: string, token: string, cnameTarget: string): Promise<DnsCheckResult>;
}

/** 256 random bits, base64url: fits one TXT character-string and any URL or form. */
export function newChallengeToken(): string {
  return randomBytes(32).toString('base64url');
}

export interface DnsVerifierOptions {
  /** `host:port` resolvers (`127.0.0.1:5353`, `[::1]:5353`); the system's when absent. */
  servers?: readonly string[];
  /** How long one query waits for an answer before it is sent again. */
  timeoutMs: number;
  /** Sends per query and server; 2 unless given. */
  tries?: number;
  now?: () => Date;
}

type Outcome = { code: DnsCheckCode; error: string | null };
type Lookup<T> = { ok: true; value: T } | { ok: false; code: string };

const VERIFIED: Outcome = { code: 'VERIFIED', error: null };
/** Time allowed past the resolver's own timeouts for scheduling and the second round. */
const DEADLINE_MARGIN_MS = 250;
/** Answers that mean "no such record", as opposed to "could not find out". */
const ABSENT = new Set(['ENOTFOUND', 'ENODATA']);

export class DnsDomainVerifier implements DomainVerifier {
  private readonly tries: number;
  private readonly now: () => Date;

  constructor(private readonly options: DnsVerifierOptions) {
    this.tries = options.tries ?? 2;
    this.now = options.now ?? (() => new Date());
    // A malformed server address fails here, at start-up, not at the first verification.
    this.newResolver();
  }

  async verify(domain: string, token: string, cnameTarget: string): Promise<DnsCheckResult> {
    // One resolver per call, so cancelling at the deadline touches no other verification.
    const resolver = this.newResolver();
    const budgetMs = this.options.timeoutMs * this.tries + DEADLINE_MARGIN_MS;
    const outcome = await withDeadline(
      this.check(resolver, domain, token, cnameTarget),
      budgetMs,
      (): Outcome => {
        resolver.cancel();
        return {
          code: 'TIMEOUT',
          error: `DNS lookups for ${domain} did not finish within ${seconds(budgetMs)} s`,
        };
      },
    );
    return { verified: outcome.code === 'VERIFIED', ...outcome, checkedAt: this.now() };
  }

  private newResolver(): dns.Resolver {
    const resolver = new dns.Resolver({ timeout: this.options.timeoutMs, tries: this.tries });
    if (this.options.servers?.length) resolver.setServers([...this.options.servers]);
    return resolver;
  }

  private async check(
    resolver: dns.Resolver,
    domain: string,
    token: string,
    target: string,
  ): Promise<Outcome> {
    const challenge = `${CHALLENGE_LABEL}.${domain}`;
    const [txt, cname] = await Promise.all([
      lookup(resolver.resolveTxt(challenge)),
      lookup(resolver.resolveCname(domain)),
    ]);
    if (!cname.ok && cname.code === 'ENOTFOUND') {
      return {
        code: 'NXDOMAIN',
        error: `${domain} does not exist in DNS yet; check the spelling, or wait for a new registration to spread`,
      };
    }
    const failed = firstFailure([
      [txt, challenge],
      [cname, domain],
    ]);
    if (failed) return this.failure(failed.code, failed.name);
    const txtProblem = txtOutcome(txt, token, challenge);
    if (txtProblem) return txtProblem;
    if (cname.ok && cname.value.length > 0) return cnameOutcome(cname.value, domain, target);
    return this.flattened(resolver, domain, target);
  }

  /**
   * The apex of a zone (shop.com itself) cannot hold a CNAME next to its SOA and NS records,
   * so DNS providers offer a flattened CNAME (ALIAS, ANAME): they resolve the target
   * themselves and publish its addresses as the domain's own A/AAAA records. Such a domain
   * counts as pointed at the target when its addresses are exactly the target's.
   */
  private async flattened(
    resolver: dns.Resolver,
    domain: string,
    target: string,
  ): Promise<Outcome> {
    const [a, aaaa, targetA, targetAaaa] = await Promise.all([
      lookup(resolver.resolve4(domain)),
      lookup(resolver.resolve6(domain)),
      lookup(resolver.resolve4(target)),
      lookup(resolver.resolve6(target)),
    ]);
    const failed = firstFailure([
      [a, domain],
      [aaaa, domain],
      [targetA, target],
      [targetAaaa, target],
    ]);
    if (failed) return this.failure(failed.code, failed.name);
    const own = [...found(a), ...found(aaaa)];
    if (own.length === 0) {
      return {
        code: 'CNAME_MISSING',
        error: `No CNAME record at ${domain} yet; point it at ${target} (at the top of a zone, use your DNS provider's ALIAS or CNAME flattening)`,
      };
    }
    if (sameSet(found(a), found(targetA)) && sameSet(found(aaaa), found(targetAaaa))) {
      return VERIFIED;
    }
    return {
      code: 'CNAME_MISMATCH',
      error: `${domain} has no CNAME record, and its addresses (${own.join(', ')}) are not those of ${target}`,
    };
  }

  /** A lookup that could not get an answer, in words naming the name and the cause. */
  private failure(code: string, name: string): Outcome {
    switch (code) {
      case 'ETIMEOUT':
      case 'ECANCELLED':
        return {
          code: 'TIMEOUT',
          error: `the DNS server did not answer within ${seconds(this.options.timeoutMs)} s (looking up ${name})`,
        };
      case 'ECONNREFUSED':
        return { code: 'TIMEOUT', error: `could not reach the DNS server (connection refused)` };
      case 'ESERVFAIL':
        return {
          code: 'DNS_ERROR',
          error: `the DNS server failed to answer for ${name} (SERVFAIL); check the domain's name servers`,
        };
      case 'EREFUSED':
        return { code: 'DNS_ERROR', error: `the DNS server refused to answer for ${name}` };
      default:
        return { code: 'DNS_ERROR', error: `the DNS lookup for ${name} failed (${code})` };
    }
  }
}

function txtOutcome(
  txt: Lookup<string[][]>,
  token: string,
  challenge: string,
): Outcome | undefined {
  if (!txt.ok || txt.value.length === 0) {
    return {
      code: 'TXT_MISSING',
      error: `No TXT record at ${challenge} yet; DNS changes can take a while to spread`,
    };
  }
  // A long TXT value arrives as several character-strings; the record is their concatenation.
  if (txt.value.some((chunks) => chunks.join('') === token)) return undefined;
  return { code: 'TXT_MISMATCH', error: `the TXT record at ${challenge} holds another value` };
}

function cnameOutcome(found: string[], domain: string, target: string): Outcome {
  if (found.some((name) => sameName(name, target))) return VERIFIED;
  return {
    code: 'CNAME_MISMATCH',
    error: `${domain} points to ${found.map(canonicalName).join(', ')}, not ${canonicalName(target)}`,
  };
}

async function lookup<T>(query: Promise<T>): Promise<Lookup<T>> {
  try {
    return { ok: true, value: await query };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException | undefined)?.code;
    return { ok: false, code: typeof code === 'string' ? code : 'EUNKNOWN' };
  }
}

/** The first lookup that got no answer at all; a record that does not exist is an answer. */
function firstFailure(
  lookups: Array<[Lookup<unknown>, string]>,
): { code: string; name: string } | undefined {
  for (const [result, name] of lookups) {
    if (!result.ok && !ABSENT.has(result.code)) return { code: result.code, name };
  }
  return undefined;
}

const found = (result: Lookup<string[]>) => (result.ok ? result.value : []);

async function withDeadline<T>(work: Promise<T>, ms: number, onExpiry: () => T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expiry = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(onExpiry()), ms);
  });
  try {
    return await Promise.race([work, expiry]);
  } finally {
    clearTimeout(timer);
  }
}

const canonicalName = (name: string) => name.toLowerCase().replace(/\.$/, '');
const sameName = (a: string, b: string) => canonicalName(a) === canonicalName(b);
const sameSet = (a: string[], b: string[]) =>
  new Set(a).size === new Set(b).size && a.every((x) => b.includes(x));
/** Seconds to one decimal, rounded up so a stated limit is never shorter than the real one. */
const seconds = (ms: number) => `${Math.ceil(ms / 100) / 10}`;
