import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

/**
 * Compiles the sheen CLI (src/cli and the signing module it imports) to JavaScript in `outDir`,
 * file by file as `npm run build` lays it out, without type checking. A test that runs the CLI
 * dozens of times then starts plain node each time instead of compiling through tsx again.
 * Returns the path of the entry point (outDir/cli/sheen.js).
 */
export async function compileCli(outDir: string): Promise<string> {
  const files = [
    ...(await sourceFiles(path.join(SRC, 'cli'))),
    path.join(SRC, 'auth', 'signing.ts'),
  ];
  await writeFile(path.join(outDir, 'package.json'), '{"type":"module"}\n');
  // The CLI's own dependencies (tar, ignore) resolve from the project's node_modules.
  await symlink(path.join(SRC, '..', 'node_modules'), path.join(outDir, 'node_modules'), 'dir');
  for (const file of files) {
    const { outputText } = ts.transpileModule(await readFile(file, 'utf8'), {
      fileName: file,
      compilerOptions: {
        module: ts.ModuleKind.ESNext,
        target: ts.ScriptTarget.ES2022,
        verbatimModuleSyntax: true,
      },
    });
    const target = path.join(outDir, path.relative(SRC, file)).replace(/\.ts$/, '.js');
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, outputText);
  }
  return path.join(outDir, 'cli', 'sheen.js');
}

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'))
    .map((e) => path.join(e.parentPath, e.name));
}
