/**
 * A stand-in worker for src/sandbox/launcher/launcher.test.ts: starts a run through its own
 * launcher, prints both pids as one JSON line, then waits to be killed.
 */
import { Launcher } from '../../src/sandbox/launcher/client.js';

const launcher = new Launcher();
launcher.launch(
  { file: '/bin/sleep', args: ['60'], cwd: '/', env: {} },
  {
    spawned: (pid) => console.log(JSON.stringify({ launcher: launcher.pid, run: pid })),
    output: () => undefined,
    failed: (code) => console.log(JSON.stringify({ failed: code })),
    closed: () => undefined,
  },
);
setInterval(() => undefined, 1000);
