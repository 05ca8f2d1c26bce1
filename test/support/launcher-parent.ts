/**
 * A stand-in worker for src/sandbox/launcher/launcher.test.ts, holding nothing else open.
 *   (no argument)  starts a run through its own launcher, prints both pids as one JSON line,
 *                  then waits to be killed;
 *   timeout        runs `sleep 30` with a 300 ms timeout and prints the result as JSON.
 */
import { runChild } from '../../src/sandbox/child.js';
import { Launcher } from '../../src/sandbox/launcher/client.js';

const launcher = new Launcher();
if (process.argv[2] === 'timeout') {
  const result = await runChild(
    {
      file: '/bin/sleep',
      args: ['30'],
      cwd: '/',
      env: {},
      timeoutMs: 300,
      maxOutputBytes: 1024,
    },
    launcher,
  );
  console.log(JSON.stringify(result));
} else {
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
}
