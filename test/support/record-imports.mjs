// Module hooks (node:module register) for test/support/startup-imports.ts: appends every URL
// an import resolves to, one a line, to the file it is given. Written synchronously, so the
// file is complete as soon as the import that resolved it has returned.
import { appendFileSync } from 'node:fs';

let file;

export function initialize(data) {
  file = data.file;
}

export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  appendFileSync(file, `${resolved.url}\n`);
  return resolved;
}
