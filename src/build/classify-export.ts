/**
 * Failures of a static export: what Next.js and Astro print when the app asks for something
 * only a server can do. Recognised by the frameworks' own wording, so the user learns which
 * page or feature is at fault instead of "the build failed".
 */
import type { BuildErrorCode } from './build-errors.js';

export interface ExportFailure {
  code: BuildErrorCode;
  message: string;
  hint: string;
  /** Output line indexes that carry the error. */
  keyLines: number[];
}

// next build: `Page "/posts/[id]" is missing "generateStaticParams()" so it cannot be used
// with "output: export" config.`
const MISSING_STATIC_PARAMS =
  /Page "([^"]+)" is missing (?:exported function )?"generateStaticParams\(\)"/;
// Next.js' ExportError (and the build stage's own check, in the same words).
const IMAGE_LOADER = /Image Optimization using the default loader is not compatible with export/;
// Next.js 13-15 on a route handler or server action in an export.
const NEXT_SERVER_FEATURE =
  /export const dynamic = "force-static"\/export const revalidate not configured on route|Server Actions are not supported with static export/;
// astro build with `output: 'server'` or on-demand pages and no adapter.
const ASTRO_NO_ADAPTER =
  /\[NoAdapterInstalled\]|Cannot use server-rendered pages without an adapter/;

const linesMatching = (lines: string[], re: RegExp): number[] =>
  lines.flatMap((line, i) => (re.test(line) ? [i] : []));

export function exportRule(lines: string[]): ExportFailure | undefined {
  const params = linesMatching(lines, MISSING_STATIC_PARAMS);
  if (params.length > 0) {
    const page = MISSING_STATIC_PARAMS.exec(lines[params[0] as number] ?? '')?.[1] ?? '';
    return {
      code: 'BUILD_EXPORT_UNSUPPORTED',
      message: `The static export failed: the page ${page} has a dynamic segment but no generateStaticParams(), so its paths are unknown at build time.`,
      hint: 'Export generateStaticParams() from that page returning every path to build, or make the route static.',
      keyLines: params,
    };
  }
  const image = linesMatching(lines, IMAGE_LOADER);
  if (image.length > 0) {
    return {
      code: 'BUILD_EXPORT_UNSUPPORTED',
      message:
        'The static export failed: next/image uses the default loader, which resizes images on a server.',
      hint: 'Set `images: { unoptimized: true }` in next.config (the fix loop does this itself), or configure a custom image loader.',
      keyLines: image,
    };
  }
  const server = linesMatching(lines, NEXT_SERVER_FEATURE);
  const astro = linesMatching(lines, ASTRO_NO_ADAPTER);
  if (server.length > 0 || astro.length > 0) {
    return {
      code: 'BUILD_NEEDS_SERVER',
      message:
        'The build needs a server (route handlers, server actions or server-rendered pages), and previews serve static files only.',
      hint: 'Remove the server-only features, or host the app where its framework server runs.',
      keyLines: server.length > 0 ? server : astro,
    };
  }
  return undefined;
}
