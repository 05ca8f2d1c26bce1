/** Colour words, hex parsing and the CSS custom properties a theme turns into. */
import type { Theme } from './types.js';

/** Colour words a prompt may use, mapped to a pleasant, readable shade. */
export const COLOR_WORDS: Readonly<Record<string, string>> = {
  red: '#dc2626',
  crimson: '#b91c1c',
  maroon: '#7f1d1d',
  burgundy: '#881337',
  coral: '#f97362',
  orange: '#ea580c',
  peach: '#f4a574',
  amber: '#d97706',
  yellow: '#eab308',
  gold: '#c9a227',
  golden: '#c9a227',
  mustard: '#ca8a04',
  lime: '#65a30d',
  olive: '#6b7f2a',
  green: '#16a34a',
  emerald: '#059669',
  mint: '#34d399',
  sage: '#84a98c',
  forest: '#166534',
  teal: '#0d9488',
  turquoise: '#14b8a6',
  cyan: '#0891b2',
  aqua: '#06b6d4',
  sky: '#0ea5e9',
  blue: '#2563eb',
  navy: '#1e3a8a',
  indigo: '#4f46e5',
  violet: '#7c3aed',
  purple: '#7e22ce',
  lavender: '#a78bfa',
  plum: '#86198f',
  magenta: '#c026d3',
  pink: '#db2777',
  rose: '#e11d48',
  brown: '#92400e',
  chocolate: '#7b3f00',
  beige: '#c8b08a',
  tan: '#b08d57',
  cream: '#d6b98c',
  gray: '#4b5563',
  grey: '#4b5563',
  silver: '#94a3b8',
  charcoal: '#334155',
  slate: '#475569',
  black: '#111827',
};

/** `#abc` or `#aabbcc` (any case) → `#aabbcc`; null when not a hex colour. */
export function normalizeHex(value: string): string | null {
  const match = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(value.trim());
  if (!match?.[1]) return null;
  const digits = match[1].toLowerCase();
  if (digits.length === 6) return '#' + digits;
  return '#' + [...digits].map((digit) => digit + digit).join('');
}

type Rgb = [number, number, number];

function toRgb(hex: string): Rgb {
  const value = parseInt(hex.slice(1), 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}

function toHex([r, g, b]: Rgb): string {
  return '#' + [r, g, b].map((c) => Math.round(c).toString(16).padStart(2, '0')).join('');
}

/** Mixes `a` towards `b` by `amount` (0 = a, 1 = b). */
export function mix(a: string, b: string, amount: number): string {
  const x = toRgb(a);
  const y = toRgb(b);
  return toHex([0, 1, 2].map((i) => x[i]! + (y[i]! - x[i]!) * amount) as Rgb);
}

function luminance(hex: string): number {
  const channel = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  const [r, g, b] = toRgb(hex).map(channel) as Rgb;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((m, n) => n - m) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** `color` darkened (or lightened) just enough to be readable as text on `background`. */
function readable(color: string, background: string): string {
  const target = luminance(background) > 0.4 ? '#000000' : '#ffffff';
  let result = color;
  for (let step = 1; step <= 10 && contrast(result, background) < 4.5; step++) {
    result = mix(color, target, step / 10);
  }
  return result;
}

/** The `:root` block of custom properties for a theme. Only validated hex values go in. */
export function themeCss(theme: Theme): string {
  const bg = theme.dark ? '#0f172a' : '#fbfaf8';
  const surface = theme.dark ? '#1e293b' : '#ffffff';
  const text = theme.dark ? '#e2e8f0' : '#1f2937';
  const muted = theme.dark ? '#94a3b8' : '#5b6472';
  const border = theme.dark ? '#334155' : '#e7e3dc';
  const onPrimary = contrast(theme.primary, '#ffffff') >= 3 ? '#ffffff' : '#111827';
  const onAccent = contrast(theme.accent, '#ffffff') >= 3 ? '#ffffff' : '#111827';
  const heading =
    theme.font === 'serif'
      ? "'Iowan Old Style', 'Palatino Linotype', Palatino, Georgia, 'Times New Roman', serif"
      : "ui-sans-serif, system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";
  const vars: [string, string][] = [
    ['--primary', theme.primary],
    ['--primary-strong', mix(theme.primary, '#000000', 0.18)],
    ['--primary-ink', readable(theme.primary, bg)],
    ['--primary-soft', mix(theme.primary, bg, theme.dark ? 0.78 : 0.88)],
    ['--on-primary', onPrimary],
    ['--accent', theme.accent],
    ['--accent-ink', readable(theme.accent, bg)],
    ['--accent-soft', mix(theme.accent, bg, theme.dark ? 0.8 : 0.86)],
    ['--on-accent', onAccent],
    ['--bg', bg],
    ['--surface', surface],
    ['--surface-2', mix(surface, theme.primary, 0.04)],
    ['--text', text],
    ['--muted', muted],
    ['--border', border],
    ['--danger', theme.dark ? '#f87171' : '#b91c1c'],
    ['--success', theme.dark ? '#4ade80' : '#15803d'],
    ['--radius', '14px'],
    [
      '--shadow',
      theme.dark ? '0 10px 30px rgba(0, 0, 0, 0.35)' : '0 10px 30px rgba(31, 41, 55, 0.08)',
    ],
    [
      '--font-body',
      "ui-sans-serif, system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif",
    ],
    ['--font-heading', heading],
  ];
  const scheme = theme.dark ? 'dark' : 'light';
  return (
    ':root {\n  color-scheme: ' +
    scheme +
    ';\n' +
    vars.map(([name, value]) => '  ' + name + ': ' + value + ';\n').join('') +
    '}\n'
  );
}

/** The hue (0–359) of a hex colour; grey gives 0. */
export function hueOf(hex: string): number {
  const [r, g, b] = toRgb(hex).map((c) => c / 255) as Rgb;
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const d = max - min;
  if (d === 0) return 0;
  let h: number;
  if (max === r) h = ((g - b) / d) % 6;
  else if (max === g) h = (b - r) / d + 2;
  else h = (r - g) / d + 4;
  return Math.round((h * 60 + 360) % 360);
}
