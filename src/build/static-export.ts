/**
 * Whether a project's build can be served as plain files. Previews and Cloudflare Pages serve
 * files only, so a build that needs a server would preview broken: Next.js without
 * `output: 'export'` leaves no site at all, and with it quietly drops POST route handlers (the
 * build succeeds, the route 404s) and writes `/_next/image?…` URLs nothing answers. These rules
 * read the sources, so such a project fails in seconds, before its install, with a reason.
 */
import type { DetectedFramework } from './detect.js';

/** Reads a workspace file as text; undefined when it cannot be read. */
export type ReadText = (file: string) => Promise<string | undefined>;

export interface ServerNeed {
  /** Why, for people: names the feature, not the tool output. */
  reason: string;
  files: string[];
}

const CONFIG_EXT = /\.(?:js|mjs|cjs|ts|mts|cts)$/;
const SOURCE = /\.(?:js|jsx|mjs|cjs|ts|tsx|mts|cts)$/;
const IN_NODE_MODULES = /(?:^|\/)node_modules\//;
// Sources larger than this are not read: a project's own modules are far smaller.
const MAX_SOURCE_CHARS = 512 * 1024;

const NEXT_EXPORT = /\boutput\s*:\s*['"`]export['"`]/;
const NEXT_ROUTE_HANDLER = /^(?:src\/)?app\/(?:.+\/)?route\.(?:js|mjs|ts|mts)$/;
// GET handlers are prerendered into files by the export; every other method needs a server.
const NON_GET_HANDLER =
  /export\s+(?:async\s+)?(?:function\s+|const\s+|let\s+)(?:POST|PUT|PATCH|DELETE|OPTIONS)\b/;
const NEXT_PAGES_API = /^(?:src\/)?pages\/api\//;
const NEXT_MIDDLEWARE = /^(?:src\/)?(?:middleware|proxy)\.(?:js|mjs|ts|mts)$/;
const USE_SERVER = /^\s*['"]use server['"]/m;
const ASTRO_SERVER_OUTPUT = /\boutput\s*:\s*['"`](?:server|hybrid)['"`]/;
const ASTRO_ADAPTER = /\badapter\s*:/;
const ASTRO_ON_DEMAND = /export\s+const\s+prerender\s*=\s*false\b/;

const rootConfig = (files: string[], name: string): string | undefined =>
  files.find((f) => f.startsWith(`${name}.`) && CONFIG_EXT.test(f.slice(name.length)));

async function readSource(read: ReadText, file: string): Promise<string> {
  const text = await read(file);
  return text === undefined || text.length > MAX_SOURCE_CHARS ? '' : text;
}

/** The first server-only feature a project uses, or undefined when its build is files only. */
export async function serverNeed(
  framework: DetectedFramework,
  files: string[],
  read: ReadText,
): Promise<ServerNeed | undefined> {
  const own = files.filter((f) => !IN_NODE_MODULES.test(f));
  if (framework === 'nextjs') return nextServerNeed(own, read);
  if (framework === 'astro') return astroServerNeed(own, read);
  return undefined;
}

async function nextServerNeed(files: string[], read: ReadText): Promise<ServerNeed | undefined> {
  const config = rootConfig(files, 'next.config');
  if (!config || !NEXT_EXPORT.test(await readSource(read, config))) {
    return {
      reason: `${config ?? 'next.config'} does not set \`output: 'export'\`, so \`next build\` makes a server build, not a static site`,
      files: config ? [config] : [],
    };
  }
  const middleware = files.filter((f) => NEXT_MIDDLEWARE.test(f));
  if (middleware.length > 0) {
    return { reason: 'it has middleware, which runs only on a Next.js server', files: middleware };
  }
  const api = files.filter((f) => NEXT_PAGES_API.test(f) && SOURCE.test(f));
  if (api.length > 0) return { reason: 'it has API routes under pages/api', files: api };
  const handlers: string[] = [];
  const actions: string[] = [];
  for (const file of files.filter((f) => SOURCE.test(f))) {
    const isHandler = NEXT_ROUTE_HANDLER.test(file);
    if (!isHandler && !/^(?:src|app|components|lib|actions)\//.test(file)) continue;
    const text = await readSource(read, file);
    if (isHandler && NON_GET_HANDLER.test(text)) handlers.push(file);
    if (USE_SERVER.test(text)) actions.push(file);
  }
  if (handlers.length > 0) {
    return { reason: 'it has route handlers for methods other than GET', files: handlers };
  }
  if (actions.length > 0) {
    return { reason: "it has server actions ('use server')", files: actions };
  }
  return undefined;
}

async function astroServerNeed(files: string[], read: ReadText): Promise<ServerNeed | undefined> {
  const config = rootConfig(files, 'astro.config');
  if (config) {
    const text = await readSource(read, config);
    if (ASTRO_SERVER_OUTPUT.test(text) || ASTRO_ADAPTER.test(text)) {
      return {
        reason: `${config} sets a server output or an SSR adapter, so \`astro build\` makes a server build`,
        files: [config],
      };
    }
  }
  const onDemand: string[] = [];
  for (const file of files.filter((f) => /^src\/pages\/.+\.(?:astro|js|ts)$/.test(f))) {
    if (ASTRO_ON_DEMAND.test(await readSource(read, file))) onDemand.push(file);
  }
  if (onDemand.length > 0) {
    return { reason: 'it has pages rendered on demand (`prerender = false`)', files: onDemand };
  }
  return undefined;
}

const IMPORTS_NEXT_IMAGE = /from\s+['"]next\/image['"]|require\(\s*['"]next\/image['"]\s*\)/;
const IMAGES_SERVED_AS_FILES = /\bunoptimized\s*:\s*true\b|\bloader(?:File)?\s*:/;

/**
 * Next.js' own words for a static export whose next/image uses the default loader. Next.js up
 * to 15 stops the build with them; 16 builds and leaves `/_next/image?…` URLs that a static
 * host cannot answer, so the build stage reports the same text before it runs the build, and
 * the classifier and the fixer act on one message whichever version printed it.
 */
export const NEXT_IMAGE_EXPORT_ERROR =
  'Error: Image Optimization using the default loader is not compatible with export.';

/** Files that use next/image while the config leaves the default (server) loader on. */
export async function nextImagesNeedingServer(files: string[], read: ReadText): Promise<string[]> {
  const own = files.filter((f) => !IN_NODE_MODULES.test(f));
  const config = rootConfig(own, 'next.config');
  if (config && IMAGES_SERVED_AS_FILES.test(await readSource(read, config))) return [];
  const users: string[] = [];
  for (const file of own.filter((f) => SOURCE.test(f) && !f.startsWith('next.config.'))) {
    if (IMPORTS_NEXT_IMAGE.test(await readSource(read, file))) users.push(file);
  }
  return users;
}
