import {
  checkBubblewrap,
  checkChromium,
  checkDataServices,
  checkKeyAndClaude,
  checkWorker,
  type CheckResult,
} from '../doctor-checks.js';
import { noMore, printJson, type Command } from './shared.js';

export const doctor: Command = {
  name: 'doctor',
  summary: 'check the worker, the key, bubblewrap, chromium, the Claude CLI, PostgreSQL and Redis',
  usage: ['doctor'],
  options: {},
  details: `Each check is one line: ok, warn or fail, and what to do about it. bubblewrap and
chromium are looked for on this machine; the Claude CLI, PostgreSQL and Redis as the worker
sees them (PostgreSQL and Redis through its admin health route: SHEEN_ADMIN_SECRET, or a
local worker's DATA_DIR/secrets/admin.key). Exits 1 if a check fails, 0 if all are ok or warn.
With --json: an array of {check, status, detail, fix}.`,
  async run(ctx, args) {
    noMore(args, 0, 'doctor');
    const worker = await checkWorker(ctx.target);
    const up = worker.status === 'ok';
    const [keyAndClaude, bwrap, chromium, data] = await Promise.all([
      checkKeyAndClaude(ctx.env, ctx.target, up),
      checkBubblewrap(ctx.env),
      checkChromium(ctx.env),
      checkDataServices(ctx.env, ctx.target, up),
    ]);
    const results: CheckResult[] = [worker, ...keyAndClaude, bwrap, chromium, ...data];
    if (ctx.json) printJson(ctx, results);
    else
      for (const r of results)
        ctx.out.write(
          `${r.status.padEnd(4)}  ${r.check.padEnd(11)} ${r.detail}${r.fix ? `  fix: ${r.fix}` : ''}\n`,
        );
    return results.some((r) => r.status === 'fail') ? 1 : 0;
  },
};
