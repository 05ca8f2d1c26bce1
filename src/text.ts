/**
 * What text PostgreSQL can store, and clipping that never breaks a character. JavaScript
 * strings may hold what no database column can: NUL (text refuses byte 0x00, jsonb refuses
 * \u0000) and unpaired UTF-16 surrogates (not encodable as UTF-8; jsonb refuses their
 * escapes, text stores them mangled).
 */

export const LONE_SURROGATE =
  /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Every control character (C0, DEL, C1): nothing a name or a label should hold. */
export const ANY_CONTROL = /\p{Cc}/u;

/** Control characters other than tab, line feed and carriage return, which free text keeps. */
export const CONTROL_EXCEPT_LINE_BREAKS = /(?![\t\n\r])\p{Cc}/u;

/**
 * Derived text (a model's reply, a name cut from a prompt) made storable: unpaired surrogates
 * become U+FFFD, as UTF-8 encoding would make them, and controls other than tab and line
 * breaks are dropped. Client input is refused instead, never silently changed.
 */
export function storableText(text: string): string {
  return text
    .replace(new RegExp(LONE_SURROGATE.source, 'g'), '\uFFFD')
    .replace(new RegExp(CONTROL_EXCEPT_LINE_BREAKS.source, 'gu'), '');
}

/** The first character `pattern` finds, as U+XXXX with its position in characters. */
export function describeFirst(text: string, pattern: RegExp): string | undefined {
  // Every validated string passes here: the pattern runs as given, not compiled again per call.
  // Only a global or sticky one is copied without those flags, since exec would move its
  // lastIndex.
  const stateless =
    pattern.global || pattern.sticky
      ? new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ''))
      : pattern;
  const match = stateless.exec(text);
  if (!match) return undefined;
  const code = match[0].codePointAt(0) ?? 0;
  const at = Array.from(text.slice(0, match.index)).length + 1;
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')} at character ${at}`;
}

/**
 * At most `max` characters (code points, as PostgreSQL's length() counts), cut at the last
 * space when one falls in the second half so words stay whole. Never splits a surrogate pair.
 */
export function clipText(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  const cut = chars.slice(0, max).join('');
  const space = cut.lastIndexOf(' ');
  return (space > cut.length / 2 ? cut.slice(0, space) : cut).trimEnd();
}

/** Lower-case ASCII slug; never empty. */
export function slugify(value: string, fallback = 'item'): string {
  const slug = value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/g, '');
  return slug || fallback;
}
