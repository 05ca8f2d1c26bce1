/**
 * A Node process started ahead of its work (warm-node.ts): it imports the modules named on
 * its command line, then waits for its work on stdin, one JSON message `{ argv, cwd }`, and
 * runs `argv[0]` as `node argv…` would. The work's imports of those modules find them loaded.
 * With `--warm-up <file>` first, it then runs that module's default export on them (see
 * WarmNodeSpec.warmUp) before it takes its work, unless the work came in first: a warm-up
 * only pays while the process would otherwise wait.
 *
 * Trusted code, run as a plain script inside the sandbox: it imports nothing but Node's modules.
 */
import { pathToFileURL } from 'node:url';

/** Exit status and marker of a process whose modules would not load: it ran none of its work. */
const PRELOAD_FAILED = 75;
const MARKER = 'sheen-warm-node: preload failed';
const READY = 'sheen-warm-node: started';

const files = process.argv.slice(2);
const warmUp = files[0] === '--warm-up' ? files.splice(0, 2)[1] : undefined;

// Running: the sandbox around it is set up (the worker may now move a workspace in).
process.stdout.write(`${READY}\n`);
// Read from the start, to know whether the work came in while the modules loaded. The worker
// writes one message and closes stdin: the end of the stream is the end of it.
let arrived = false;
const received = (async () => {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
    arrived = true;
  }
  return Buffer.concat(chunks).toString('utf8');
})();
const loaded: unknown[] = [];
try {
  for (const file of files) loaded.push(await import(pathToFileURL(file).href));
} catch (err) {
  process.stderr.write(`${MARKER}: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(PRELOAD_FAILED);
}

if (warmUp && !arrived) {
  try {
    const { default: run } = (await import(pathToFileURL(warmUp).href)) as {
      default: (modules: unknown[]) => Promise<void>;
    };
    await run(loaded);
  } catch {
    // A warm-up that fails only leaves the work slower: it runs as it would have.
  }
}

const work = JSON.parse(await received) as { argv: string[]; cwd: string };
process.chdir(work.cwd);
process.argv = [process.argv[0] ?? process.execPath, ...work.argv];
await import(pathToFileURL(work.argv[0] ?? '').href);
