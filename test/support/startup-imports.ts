/**
 * Run as its own process (`node --import tsx test/support/startup-imports.ts`): builds the
 * container and the app from this process's environment, as `npm start` does, closes them and
 * prints one line of JSON, `{"packages": [...]}`: every package under node_modules that was
 * loaded, by ESM import (module hooks) or by require (require.cache). STARTUP_PGLITE_TEMPLATE:
 * a migrated PGlite directory to copy instead of running initdb (pglite-template.ts).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire, register } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';

const work = await mkdtemp(path.join(tmpdir(), 'sheen-startup-imports-'));
const file = path.join(work, 'resolved.txt');
register('./record-imports.mjs', import.meta.url, { data: { file } });

// Imported only now, so that the hooks see every module the composition root reaches.
const { loadConfig } = await import('../../src/config/config.js');
const { createContainer } = await import('../../src/container.js');
const { buildApp } = await import('../../src/http/app.js');

const quiet = new Writable({ write: (_chunk, _enc, done) => done() });
const template = process.env.STARTUP_PGLITE_TEMPLATE;
const container = await createContainer(loadConfig(process.env), {
  logDestination: quiet,
  ...(template ? { pgliteTemplate: template } : {}),
});
const app = await buildApp(container);
await app.ready();
await app.close();
await container.close(0);

const resolved = (await readFile(file, 'utf8')).split('\n');
const required = Object.keys(createRequire(import.meta.url).cache).map((p) =>
  pathToFileURL(p).toString(),
);
const packages = new Set<string>();
for (const url of [...resolved, ...required]) {
  const match = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (match?.[1]) packages.add(match[1]);
}
await rm(work, { recursive: true, force: true });
console.log(JSON.stringify({ packages: [...packages].sort() }));
