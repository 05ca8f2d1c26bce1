import { isIP } from 'node:net';
import { z } from 'zod';

/** Parsers for single environment values, shared by the variables of `loadConfig`. */

export const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .optional()
    .transform((v) => (v === undefined ? fallback : ['true', '1', 'yes'].includes(v)));

export const int = (fallback: number, min: number, max: number) => {
  const error = `must be a whole number from ${min} to ${max}`;
  return z.coerce
    .number({ error })
    .int({ error })
    .min(min, { error })
    .max(max, { error })
    .default(fallback);
};

export const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

/** A comma-separated list, blanks dropped. */
export const secretList = optionalString.transform((v) =>
  v === undefined
    ? []
    : v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
);

export const urlWithProtocols = (protocols: string[]) =>
  optionalString.refine(
    (v) => {
      if (v === undefined) return true;
      try {
        return protocols.includes(new URL(v).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}` },
  );

/** `ip`, `ip:port` or `[ipv6]:port`: what node:dns accepts as a server (no host names). */
function isDnsServer(value: string): boolean {
  const match = /^\[([^\]]+)\]:(\d{1,5})$/.exec(value) ?? /^([^:]+):(\d{1,5})$/.exec(value);
  const port = match ? Number(match[2]) : 53;
  return isIP(match ? (match[1] ?? '') : value) !== 0 && port >= 1 && port <= 65535;
}

/** DNS resolvers by address; undefined when none are given (use the system's). */
export const dnsServerList = secretList
  .refine((list) => list.every(isDnsServer), {
    message: 'must be IP addresses with optional ports, comma-separated: 10.0.0.2:53,[::1]:5353',
  })
  .transform((list) => (list.length > 0 ? list : undefined));

const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const HOST_NAME = new RegExp(`^(?=.{1,253}$)(?:${LABEL}\\.)*${LABEL}$`);

/** A DNS host name (not an address), lower-cased, without a trailing dot. */
export const hostName = optionalString
  .transform((v) => v?.toLowerCase().replace(/\.$/, ''))
  .refine((v) => v === undefined || (HOST_NAME.test(v) && isIP(v) === 0), {
    message: 'must be a host name like edge.example.com (no scheme, port or path)',
  });
