import { measured, type Recommendation } from './recommendation.js';

/** What a visitor downloads to run the app: the JS and CSS of the built output. */
export interface BundleSize {
  jsBytes: number;
  cssBytes: number;
  /** The largest files, biggest first (at most five), for the evidence. */
  largest: Array<{ file: string; bytes: number }>;
}

const JS = /\.(m?js|cjs)$/i;
const CSS = /\.css$/i;

/** Sums the JS and CSS of an output listing; source maps and other files do not count. */
export function measureBundle(files: ReadonlyArray<{ file: string; bytes: number }>): BundleSize {
  let jsBytes = 0;
  let cssBytes = 0;
  const assets: Array<{ file: string; bytes: number }> = [];
  for (const f of files) {
    if (JS.test(f.file)) jsBytes += f.bytes;
    else if (CSS.test(f.file)) cssBytes += f.bytes;
    else continue;
    assets.push(f);
  }
  assets.sort((a, b) => b.bytes - a.bytes || a.file.localeCompare(b.file));
  return { jsBytes, cssBytes, largest: assets.slice(0, 5) };
}

/** Over the budget: medium; over twice the budget: high. Within it: nothing to say. */
export function bundleRecommendation(
  size: BundleSize,
  budgetBytes: number,
): Recommendation | undefined {
  const bytes = size.jsBytes + size.cssBytes;
  if (bytes <= budgetBytes) return undefined;
  return measured('bundle.size', {
    severity: bytes > 2 * budgetBytes ? 'high' : 'medium',
    title: 'Ship less JavaScript and CSS',
    detail: `The app's JS and CSS add up to ${kib(bytes)}, over the ${kib(budgetBytes)} budget: the first visit is slow on mobile networks.`,
    action:
      'Split rarely used screens into lazily loaded chunks, drop unused dependencies, and check the largest files listed.',
    evidence: {
      bytes,
      budgetBytes,
      jsBytes: size.jsBytes,
      cssBytes: size.cssBytes,
      largest: size.largest,
    },
  });
}

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} KiB`;
}
