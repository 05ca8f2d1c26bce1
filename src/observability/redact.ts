/**
 * Scrubs secrets out of any text before it leaves the process (logs, events, errors).
 * Two layers: the exact values of configured secrets, and shapes that look like credentials
 * even when we were never told about them.
 */
const SECRET_SHAPES: RegExp[] = [
  /sk-ant-[A-Za-z0-9_-]{8,}/g, // Anthropic keys
  /sk-(?:proj-)?[A-Za-z0-9_-]{20,}/g, // OpenAI-style keys
  /\bAKIA[0-9A-Z]{16}\b/g, // AWS access key ids
  /\bgh[pousr]_[A-Za-z0-9]{30,}\b/g, // GitHub tokens
  /\bv2=[0-9a-f]{64}\b/g, // request signatures
  /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
  // key=value pairs whose name says secret (query strings, env dumps, URLs with passwords)
  /\b([A-Za-z0-9_]*(?:secret|token|password|passwd|api[_-]?key|signature))(["']?\s*[=:]\s*["']?)([^\s"'&,;}]{4,})/gi,
  // Credentials inside URLs. The scheme is bounded: an unbounded \w+ retried from every
  // position of a long word made one 20,000-character word cost a second of CPU per line.
  /(\w{1,32}:\/\/[^:/\s]+:)([^@/\s]{3,})(@)/g,
];

export const REDACTED = '[REDACTED]';

export type Redactor = (text: string) => string;

export function createRedactor(knownSecrets: readonly string[]): Redactor {
  // Longest first so a secret containing another is replaced whole.
  const known = [...new Set(knownSecrets.filter((s) => s.length >= 6))].sort(
    (a, b) => b.length - a.length,
  );
  return (text: string) => {
    let out = text;
    for (const secret of known) {
      if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    }
    for (const shape of SECRET_SHAPES) {
      out = out.replace(shape, (match, ...groups: unknown[]) => {
        const [first, second, third] = groups as [unknown, unknown, unknown];
        if (typeof third === 'string' && typeof first === 'string' && typeof second === 'string') {
          // key=value or scheme://user:password@ form: keep the name, hide the value.
          return third === '@' ? `${first}${REDACTED}@` : `${first}${second}${REDACTED}`;
        }
        if (typeof first === 'string' && /^(bearer|basic)$/i.test(first)) {
          return `${first} ${REDACTED}`;
        }
        return REDACTED;
      });
    }
    return out;
  };
}
