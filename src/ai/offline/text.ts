/** Small deterministic text helpers: hashing, casing, escaping and a TypeScript literal writer. */

export { slugify } from '../../text.js';

/** 32-bit FNV-1a hash: stable across runs and platforms. */
export function hash(value: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    h ^= value.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** A seeded pseudo-random generator (mulberry32) returning numbers in [0, 1). */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One element of a non-empty list, chosen by seed. */
export function pick<T>(list: readonly T[], seed: number, salt = 0): T {
  const item = list[(seed + salt * 7919) % list.length];
  if (item === undefined) throw new Error('pick() from an empty list');
  return item;
}

const SMALL_WORDS = new Set([
  'a',
  'an',
  'and',
  'at',
  'by',
  'for',
  'in',
  'of',
  'on',
  'or',
  'the',
  'to',
]);

/** Title Case that keeps words the writer already capitalised (AI, McKay, iPhone). */
export function titleCase(value: string): string {
  return value
    .split(/\s+/)
    .filter(Boolean)
    .map((word, index) => {
      if (/[A-Z]/.test(word.slice(1)) || /^[A-Z]/.test(word)) return word;
      if (index > 0 && SMALL_WORDS.has(word)) return word;
      return word.charAt(0).toUpperCase() + word.slice(1);
    })
    .join(' ');
}

export function capitalize(value: string): string {
  return value.charAt(0).toUpperCase() + value.slice(1);
}

/** Collapses whitespace (including newlines) and trims. */
export function clean(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Initials for an avatar ("Maya Chen" → "MC"). */
export function initials(name: string): string {
  const parts = name.split(/\s+/).filter((part) => /^[A-Za-z]/.test(part));
  return parts
    .slice(0, 2)
    .map((part) => part.charAt(0).toUpperCase())
    .join('');
}

/** Naive English singular for category names ("Hats" → "Hat", "Dresses" → "Dress"). */
export function singular(word: string): string {
  if (/ies$/i.test(word)) return word.slice(0, -3) + 'y';
  if (/(ss|us|is)$/i.test(word)) return word;
  if (/(ches|shes|xes|sses)$/i.test(word)) return word.slice(0, -2);
  if (/s$/i.test(word)) return word.slice(0, -1);
  return word;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * A single-quoted string literal. JSON.stringify does the escaping (backslashes, control
 * characters, line separators); only the quote style changes.
 */
export function quote(value: string): string {
  const inner = JSON.stringify(value).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'");
  return "'" + inner + "'";
}

/**
 * Writes a JSON-compatible value as a TypeScript literal. Strings go through JSON.stringify,
 * so any text (quotes, backticks, `${`, `</script>`, newlines) stays inert data.
 */
export function toTs(value: unknown, indent = 0): string {
  const pad = '  '.repeat(indent);
  const inner = '  '.repeat(indent + 1);
  if (value === null) return 'null';
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error('toTs: non-finite number');
    return String(value);
  }
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const parts = value.map((entry) => toTs(entry, indent + 1));
    const flat = '[' + parts.join(', ') + ']';
    if (flat.length + pad.length < 90 && !flat.includes('\n')) return flat;
    return '[\n' + parts.map((part) => inner + part + ',\n').join('') + pad + ']';
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(
      ([, entry]) => entry !== undefined,
    );
    if (entries.length === 0) return '{}';
    const parts = entries.map(([key, entry]) => {
      const name = IDENTIFIER.test(key) ? key : quote(key);
      return name + ': ' + toTs(entry, indent + 1);
    });
    const flat = '{ ' + parts.join(', ') + ' }';
    if (flat.length + pad.length < 90 && !flat.includes('\n')) return flat;
    return '{\n' + parts.map((part) => inner + part + ',\n').join('') + pad + '}';
  }
  throw new Error('toTs: unsupported value of type ' + typeof value);
}

export interface FillVars {
  name: string;
  subject: string;
  /** Currency symbol. */
  cur: string;
}

/** Replaces `{name}`, `{subject}` and `{cur}` in copy. The values are data, never code. */
export function fill(template: string, vars: FillVars): string {
  return template.replace(
    /\{(name|subject|cur)\}/g,
    (_match, key: 'name' | 'subject' | 'cur') => vars[key],
  );
}
