import { parseArgs } from 'node:util';
import { UsageError } from './commands/shared.js';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** Placeholder for a value in help, e.g. "NAME". */
  value?: string;
  description: string;
}

/** Options every command takes. */
export const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  json: { type: 'boolean', description: 'print JSON on stdout (errors too) instead of text' },
  user: { type: 'string', value: 'ID', description: 'act for this user (default SHEEN_USER)' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
};

export interface ParsedArgs {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/**
 * node:util parseArgs in strict mode, its errors turned into usage errors that name the
 * option and the command's help, instead of Node's parser text.
 */
export function parseCommandArgs(
  command: string,
  options: Record<string, OptionSpec>,
  argv: string[],
): ParsedArgs {
  const all = { ...options, ...GLOBAL_OPTIONS };
  const config = Object.fromEntries(
    Object.entries(all).map(([name, o]) => [
      name,
      { type: o.type, ...(o.short ? { short: o.short } : {}) },
    ]),
  );
  try {
    const parsed = parseArgs({ args: argv, options: config, allowPositionals: true, strict: true });
    return { values: parsed.values, positionals: parsed.positionals };
  } catch (err) {
    throw new UsageError(parserMessage(command, err));
  }
}

function parserMessage(command: string, err: unknown): string {
  const { code, message } = err as { code?: string; message?: string };
  const option = /'(-[^' ]+)/.exec(message ?? '')?.[1] ?? '';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION')
    return `unknown option ${option} for \`sheen ${command}\``;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE')
    return `option ${option} of \`sheen ${command}\` ${
      /argument missing/.test(message ?? '') ? 'needs a value' : 'takes no value'
    }`;
  return `cannot read the arguments of \`sheen ${command}\``;
}

/** Help lines for a set of options, aligned. */
export function optionLines(options: Record<string, OptionSpec>): string[] {
  const heads = Object.entries(options).map(([name, o]) => {
    const short = o.short ? `-${o.short}, ` : '';
    return [`${short}--${name}${o.value ? ` ${o.value}` : ''}`, o.description] as const;
  });
  const width = Math.max(...heads.map(([h]) => h.length));
  return heads.map(([h, d]) => `  ${h.padEnd(width)}  ${d}`);
}
