import { parseCommandArgs } from './args.js';
import { balance } from './commands/balance.js';
import { cancel } from './commands/cancel.js';
import { create } from './commands/create.js';
import { doctor } from './commands/doctor.js';
import { importProject } from './commands/import.js';
import { domains } from './commands/domains.js';
import { logs } from './commands/logs.js';
import { open } from './commands/open.js';
import { publish } from './commands/publish.js';
import { recommendations } from './commands/recommendations.js';
import { rollback } from './commands/rollback.js';
import { UsageError, type Command } from './commands/shared.js';
import { status } from './commands/status.js';
import { unpublish } from './commands/unpublish.js';
import { update } from './commands/update.js';
import { versions } from './commands/versions.js';
import { createContext, targetOf } from './context.js';
import { describeFailure, EXIT, reportFailure } from './failure.js';
import { commandHelp, mainHelp } from './help.js';

const COMMANDS: readonly Command[] = [
  create,
  update,
  importProject,
  status,
  logs,
  cancel,
  open,
  versions,
  rollback,
  publish,
  unpublish,
  domains,
  balance,
  recommendations,
  doctor,
];

/** `sheen <command> …`: finds the command, parses its arguments, runs it; returns the exit code. */
async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const about = name === 'help' ? COMMANDS.find((c) => c.name === rest[0]) : undefined;
    process.stdout.write(about ? commandHelp(about) : mainHelp(COMMANDS));
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  const json = rest.includes('--json');
  if (!command) {
    const err = new UsageError(`unknown command "${name}"`);
    reportFailure(describeFailure(err, { command: '', target: targetOf(process.env) }), json);
    return EXIT.usage;
  }
  let ctx: ReturnType<typeof createContext> | undefined;
  try {
    const args = parseCommandArgs(command.name, command.options, rest);
    if (args.values.help) {
      process.stdout.write(commandHelp(command));
      return EXIT.ok;
    }
    ctx = createContext(process.env, args.values);
    return await command.run(ctx, args);
  } catch (err) {
    const failure = describeFailure(err, {
      command: command.name,
      target: targetOf(process.env),
      ...(ctx?.secretSource() ? { secretSource: ctx.secretSource() } : {}),
    });
    reportFailure(failure, ctx?.json ?? json);
    return failure.exitCode;
  }
}

// A reader that stops early (`sheen logs … | head`) is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(EXIT.ok);
  throw err;
});

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`sheen: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(EXIT.failed);
  },
);
