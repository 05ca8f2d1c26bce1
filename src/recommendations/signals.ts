import { bundleRecommendation, measureBundle, type BundleSize } from './bundle.js';
import { codeRecommendations, readCodeFacts, type CodeFacts } from './code-checks.js';
import { listFiles, readText } from './files.js';
import { checkHtml, htmlRecommendations, type HtmlFindings } from './html-checks.js';
import { compareRecommendations, measured, type Recommendation } from './recommendation.js';
import { vulnerabilityItems, type VulnerableDependency } from './vulnerabilities.js';

/**
 * The measured facts recommendations rest on, and the deterministic rules that turn them into
 * recommendations. Each part is undefined when it could not be measured (no stored sources, say),
 * so "nothing found" and "not looked at" stay different things.
 */
/** An ask of the prompt the engine could not honour, and why ('' when it did not say). */
export interface UnmetAsk {
  text: string;
  reason: string;
}

export interface Signals {
  output?: OutputSignals;
  code?: CodeFacts;
  /** Warnings of the build's tools and steps, deduplicated, in order. */
  warnings?: BuildWarning[];
  /** Asks of the prompt the engine said it did not honour. */
  unmet?: UnmetAsk[];
  /** Installed versions the dependency audit found advisories for. */
  vulnerable?: VulnerableDependency[];
}

export interface OutputSignals {
  pages: HtmlFindings[];
  /** HTML files in the output; only the first MAX_PAGES are checked. */
  htmlFiles: number;
  bundle: BundleSize;
}

export interface BuildWarning {
  stage: string | null;
  message: string;
}

const MAX_PAGES = 50;
const MAX_HTML_BYTES = 2 * 1024 * 1024;
const MAX_CONFIG_BYTES = 256 * 1024;

export async function measureOutput(
  outputDir: string,
  exclude?: (rel: string) => boolean,
): Promise<OutputSignals> {
  const { files } = await listFiles(outputDir, exclude);
  const html = files.filter((f) => /\.html?$/i.test(f.file));
  // index.html first: the page every visitor sees.
  html.sort((a, b) => Number(b.file === 'index.html') - Number(a.file === 'index.html'));
  const pages: HtmlFindings[] = [];
  for (const f of html.slice(0, MAX_PAGES)) {
    const text = await readText(outputDir, f.file, MAX_HTML_BYTES);
    if (text !== undefined) pages.push(checkHtml(f.file, text));
  }
  return { pages, htmlFiles: html.length, bundle: measureBundle(files) };
}

export async function measureSources(
  sourceDir: string,
  exclude?: (rel: string) => boolean,
): Promise<CodeFacts> {
  const { files } = await listFiles(sourceDir, exclude);
  return readCodeFacts(
    files.map((f) => f.file),
    (rel) => readText(sourceDir, rel, MAX_CONFIG_BYTES),
  );
}

/** Lines tools print as warnings: npm/pnpm/yarn `WARN`, Vite's `(!)`, `warning:`. */
const WARNING_LINE = /^(?:!\s*)?\s*(?:\S+\s+)?(?:WARN\b|warning\b[:\s]|\(!\))/i;
const MAX_WARNINGS = 50;

/**
 * The warnings among a build's events: warn-level events, and the lines of tool output that
 * the tools themselves mark as warnings. Repeats (a stage run again after a fix) count once.
 */
export function buildWarnings(
  events: ReadonlyArray<{ stage: string | null; level: string; type: string; message: string }>,
): BuildWarning[] {
  const seen = new Set<string>();
  const out: BuildWarning[] = [];
  const add = (stage: string | null, message: string) => {
    const text = message.replace(/^!\s*/, '').trim().slice(0, 300);
    if (text === '' || seen.has(text) || out.length >= MAX_WARNINGS) return;
    seen.add(text);
    out.push({ stage, message: text });
  };
  for (const e of events) {
    // Audit findings have a recommendation of their own (build.vulnerable-dependency), and an
    // advisory service that did not answer is the operator's matter, not the app's.
    if (e.type.startsWith('audit.')) continue;
    if (e.level === 'warn') add(e.stage, e.message);
    else if (e.type === 'log')
      for (const line of e.message.split('\n')) if (WARNING_LINE.test(line)) add(e.stage, line);
  }
  return out;
}

/**
 * Asks the engine could not honour, from a stored plan: `meta.unmet` or `unmet`, each a string
 * or an object with `text` (and `reason`), read defensively (a plan is engine output, stored
 * as JSON).
 */
export function unmetAsks(plan: unknown): UnmetAsk[] {
  if (typeof plan !== 'object' || plan === null) return [];
  const p = plan as { unmet?: unknown; meta?: { unmet?: unknown } };
  const list = [p.meta?.unmet, p.unmet].find(Array.isArray) as unknown[] | undefined;
  const tidy = (value: unknown) =>
    typeof value === 'string' ? value.replace(/\s+/g, ' ').trim().slice(0, 200) : '';
  const asks = new Map<string, UnmetAsk>();
  for (const item of list ?? []) {
    const entry =
      typeof item === 'object' && item !== null ? (item as Record<string, unknown>) : {};
    const text = tidy(typeof item === 'string' ? item : entry.text);
    if (text && !asks.has(text)) asks.set(text, { text, reason: tidy(entry.reason) });
  }
  return [...asks.values()].slice(0, 20);
}

/** Every recommendation the signals call for, highest severity first. */
export function recommend(signals: Signals, budgetBytes: number): Recommendation[] {
  const out: Recommendation[] = [];
  if (signals.output) {
    out.push(...htmlRecommendations(signals.output.pages));
    const bundle = bundleRecommendation(signals.output.bundle, budgetBytes);
    if (bundle) out.push(bundle);
  }
  if (signals.warnings && signals.warnings.length > 0) out.push(warningsItem(signals.warnings));
  for (const ask of signals.unmet ?? []) out.push(unmetItem(ask));
  if (signals.code) out.push(...codeRecommendations(signals.code));
  out.push(...vulnerabilityItems(signals.vulnerable ?? []));
  return out.sort(compareRecommendations);
}

function warningsItem(warnings: BuildWarning[]): Recommendation {
  const byStage: Record<string, number> = {};
  for (const w of warnings) byStage[w.stage ?? 'build'] = (byStage[w.stage ?? 'build'] ?? 0) + 1;
  return measured('build.warnings', {
    severity: 'low',
    title: 'Look at the build warnings',
    detail: `The build succeeded with ${warnings.length} warning${warnings.length === 1 ? '' : 's'}; warnings often become errors after the next dependency update.`,
    action: "Read the warnings in the build's events and fix or silence each on purpose.",
    evidence: {
      count: warnings.length,
      byStage,
      examples: warnings.slice(0, 5).map((w) => w.message),
    },
  });
}

function unmetItem({ text: ask, reason }: UnmetAsk): Recommendation {
  return measured('prompt.unmet', {
    key: ask,
    severity: 'medium',
    title: `Not built yet: ${ask.length > 80 ? `${ask.slice(0, 79)}…` : ask}`,
    detail:
      'The prompt asked for this, but the engine that built this version could not do it; this needs an AI engine.' +
      (reason ? ` (${reason})` : ''),
    action:
      'Run an update with an AI engine configured (AI_PROVIDER=anthropic, claude-cli or openai) asking for it again.',
    evidence: reason ? { ask, reason } : { ask },
  });
}

/** The errors a real browser showed on the site's front page, if any. */
export function pageErrorsItem(
  errors: ReadonlyArray<{ type: string; message: string }>,
  blockedRequests: number,
): Recommendation | undefined {
  if (errors.length === 0) return undefined;
  const first = errors[0]?.message ?? '';
  return measured('page.errors', {
    severity: 'high',
    title: 'Fix the errors the page shows in a browser',
    detail: `Opened in headless Chromium, the front page reported ${errors.length} error${errors.length === 1 ? '' : 's'}, first: ${first.slice(0, 200)}`,
    action:
      'Open the preview with the browser console open, fix the first error, and ask for recommendations again.',
    evidence: { page: '/', count: errors.length, errors: errors.slice(0, 10), blockedRequests },
  });
}
