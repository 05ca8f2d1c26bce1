import { GLOBAL_OPTIONS, optionLines } from './args.js';
import type { Command } from './commands/shared.js';
import { EXIT_CODES_HELP } from './failure.js';

const ENVIRONMENT = `Environment:
  SHEEN_URL           the worker's URL (default http://127.0.0.1:8080)
  SHEEN_SECRET        signing secret: one of the worker's HMAC_SECRETS
                      (default: the local worker's key, DATA_DIR/secrets/hmac.key)
  DATA_DIR            a local worker's data folder, where the CLI finds its keys (default ./.sheen)
  SHEEN_USER          the user to act for (default "local"; --user overrides it)
  SHEEN_ADMIN_SECRET  admin secret, only for \`sheen doctor\` to check PostgreSQL and Redis
                      (default: DATA_DIR/secrets/admin.key)`;

export function mainHelp(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const list = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n');
  return `sheen: build apps from prompts with a SheenApps Worker

Usage: sheen <command> [arguments] [--json] [--user ID]
       sheen <command> --help

Commands:
${list}

Options of every command:
${optionLines(GLOBAL_OPTIONS).join('\n')}

${ENVIRONMENT}

${EXIT_CODES_HELP}
`;
}

export function commandHelp(command: Command): string {
  const usage = command.usage.map((u, i) => `${i === 0 ? 'Usage: ' : '       '}sheen ${u}`);
  const options = optionLines({ ...command.options, ...GLOBAL_OPTIONS });
  return `${usage.join('\n')}

${command.summary[0]?.toUpperCase()}${command.summary.slice(1)}.

Options:
${options.join('\n')}
${command.details ? `\n${command.details}\n` : ''}
${EXIT_CODES_HELP}
`;
}
