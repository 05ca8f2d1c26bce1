import { describe, expect, it } from 'vitest';
import { nextImagesNeedingServer, serverNeed } from './static-export.js';

const project = (files: Record<string, string>) => ({
  files: Object.keys(files),
  read: (f: string) => Promise.resolve(files[f]),
});
const EXPORT_CONFIG = "const nextConfig = { output: 'export' };\nexport default nextConfig;\n";
const PAGE = 'export default function Home() {\n  return <h1>Hi</h1>;\n}\n';

describe('serverNeed: Next.js', () => {
  const need = (files: Record<string, string>) => {
    const p = project(files);
    return serverNeed('nextjs', p.files, p.read);
  };

  it('accepts a static export', async () => {
    expect(await need({ 'next.config.mjs': EXPORT_CONFIG, 'app/page.jsx': PAGE })).toBeUndefined();
  });

  it.each([
    ['no next.config', { 'app/page.jsx': PAGE }, 'next.config does not set'],
    [
      'a config without output export',
      { 'next.config.ts': 'export default { reactStrictMode: true };', 'app/page.tsx': PAGE },
      'next.config.ts does not set',
    ],
    [
      'a standalone server build',
      { 'next.config.js': "module.exports = { output: 'standalone' };", 'app/page.jsx': PAGE },
      'next.config.js does not set',
    ],
  ])('refuses %s', async (_name, files, reason) => {
    expect((await need(files))?.reason).toContain(reason);
  });

  it.each([
    ['middleware', 'middleware.ts', 'export function middleware() {}', 'middleware'],
    ['pages/api', 'pages/api/hello.js', 'export default function h() {}', 'API routes'],
    [
      'a POST route handler',
      'app/api/tickets/route.js',
      'export async function POST() {}',
      'route handlers',
    ],
    [
      'a server action',
      'src/app/actions.ts',
      "'use server';\nexport async function save() {}",
      'server actions',
    ],
  ])('refuses %s even with output export', async (_name, file, source, reason) => {
    const found = await need({
      'next.config.mjs': EXPORT_CONFIG,
      'app/page.jsx': PAGE,
      [file]: source,
    });
    expect(found?.reason).toContain(reason);
    expect(found?.files).toEqual([file]);
  });

  it('accepts a GET route handler (the export writes it as a file)', async () => {
    const files = {
      'next.config.mjs': EXPORT_CONFIG,
      'app/feed.json/route.js': 'export async function GET() {\n  return Response.json([]);\n}\n',
    };
    expect(await need(files)).toBeUndefined();
  });

  it('ignores node_modules', async () => {
    const files = {
      'next.config.mjs': EXPORT_CONFIG,
      'node_modules/x/middleware.js': 'x',
      'node_modules/x/src/a.js': "'use server';",
    };
    expect(await need(files)).toBeUndefined();
  });
});

describe('serverNeed: Astro', () => {
  const need = (files: Record<string, string>) => {
    const p = project(files);
    return serverNeed('astro', p.files, p.read);
  };

  it('accepts the default static output', async () => {
    const files = {
      'astro.config.mjs': 'export default defineConfig({});',
      'src/pages/index.astro': '<h1>x</h1>',
    };
    expect(await need(files)).toBeUndefined();
    expect(await need({ 'src/pages/index.astro': '<h1>x</h1>' })).toBeUndefined();
  });

  it.each([
    ["output: 'server'", "export default defineConfig({ output: 'server' });"],
    [
      'an adapter',
      "import node from '@astrojs/node';\nexport default defineConfig({ adapter: node() });",
    ],
  ])('refuses %s', async (_name, config) => {
    const found = await need({ 'astro.config.mjs': config });
    expect(found?.reason).toContain('astro.config.mjs sets a server output or an SSR adapter');
  });

  it('refuses a page rendered on demand', async () => {
    const found = await need({
      'src/pages/api/save.ts':
        'export const prerender = false;\nexport const POST = () => new Response();',
    });
    expect(found?.files).toEqual(['src/pages/api/save.ts']);
  });

  it('says nothing about other frameworks', async () => {
    const p = project({ 'middleware.ts': 'x' });
    expect(await serverNeed('react', p.files, p.read)).toBeUndefined();
  });
});

describe('nextImagesNeedingServer', () => {
  const IMAGE_PAGE =
    'import Image from \'next/image\';\nexport default () => <Image src="/a.png" alt="" />;\n';

  it('finds next/image with the default loader', async () => {
    const p = project({ 'next.config.mjs': EXPORT_CONFIG, 'app/page.jsx': IMAGE_PAGE });
    expect(await nextImagesNeedingServer(p.files, p.read)).toEqual(['app/page.jsx']);
  });

  it.each([
    ['unoptimized images', "export default { output: 'export', images: { unoptimized: true } };"],
    [
      'a custom loader',
      "export default { output: 'export', images: { loader: 'custom', loaderFile: './l.js' } };",
    ],
  ])('accepts %s', async (_name, config) => {
    const p = project({ 'next.config.mjs': config, 'app/page.jsx': IMAGE_PAGE });
    expect(await nextImagesNeedingServer(p.files, p.read)).toEqual([]);
  });
});
