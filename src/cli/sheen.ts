import { parseArgs } from 'node:util';
import { ApiError, resolveSecret, WorkerClient } from './client.js';
import { balance } from './commands/billing.js';
import { domains } from './commands/domains.js';
import { UsageError, type CommandContext } from './commands/shared.js';
import { recommendations } from './commands/recommendations.js';
import { publish, rollback, unpublish, versions } from './commands/versions.js';
import { formatMs, StageProgress } from './progress.js';

const USAGE = `sheen: build apps from prompts with a SheenApps Worker

Usage:
  sheen create "<prompt>" [--name NAME] [--framework react] [--user ID] [--json]
  sheen status <buildId> [--json]
  sheen versions <projectId> [--limit N] [--json]
  sheen rollback <projectId> <versionId|vN> [--json]
  sheen publish <projectId> [versionId|vN] [--json]     (default: the current version)
  sheen unpublish <projectId> [--json]
  sheen domains add <projectId> <domain> [--json]
  sheen domains verify <projectId> <domain> [--json]
  sheen domains list <projectId> [--json]
  sheen domains rm <projectId> <domain> [--json]
  sheen balance [--user ID] [--json]                     (AI time left, plan and bonuses)
  sheen recommendations <projectId> [--build <buildId>] [--user ID] [--json]

Environment:
  SHEEN_URL     worker URL (default http://127.0.0.1:8080)
  SHEEN_SECRET  signing secret (default: DATA_DIR/secrets/hmac.key of a local worker)
  SHEEN_USER    user id to act for (default "local")
`;

interface BuildView {
  buildId: string;
  status: string;
  stage: string | null;
  previewUrl: string | null;
  error: { code: string; message: string; hint: string } | null;
  stages: Array<{ name: string; status: string; durationMs: number | null }>;
  durationMs: number | null;
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      framework: { type: 'string' },
      user: { type: 'string' },
      limit: { type: 'string' },
      build: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    process.stdout.write(USAGE);
    return command || values.help ? 0 : 2;
  }
  const client = new WorkerClient({
    baseUrl: process.env.SHEEN_URL ?? 'http://127.0.0.1:8080',
    secret: await resolveSecret(process.env),
  });
  if (command === 'create') {
    const prompt = rest.join(' ').trim();
    if (!prompt)
      throw new UsageError('create needs a prompt: sheen create "A landing page for a bakery"');
    return create(client, prompt, values);
  }
  if (command === 'status') {
    const id = rest[0];
    if (!id) throw new UsageError('status needs a build id');
    const build = await client.json<BuildView>('GET', `/v1/builds/${encodeURIComponent(id)}`);
    if (values.json) process.stdout.write(JSON.stringify(build, null, 2) + '\n');
    else printStatus(build);
    return build.status === 'failed' ? 1 : 0;
  }
  const ctx: CommandContext = {
    client,
    userId: values.user ?? process.env.SHEEN_USER ?? 'local',
    json: values.json ?? false,
    out: process.stdout,
  };
  switch (command) {
    case 'versions':
      return versions(ctx, rest, parseLimit(values.limit));
    case 'rollback':
      return rollback(ctx, rest);
    case 'publish':
      return publish(ctx, rest);
    case 'unpublish':
      return unpublish(ctx, rest);
    case 'domains':
      return domains(ctx, rest);
    case 'balance':
      return balance(ctx);
    case 'recommendations':
      return recommendations(ctx, rest, values.build);
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

function parseLimit(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError('--limit takes a whole number from 1');
  return n;
}

async function create(
  client: WorkerClient,
  prompt: string,
  values: { name?: string; framework?: string; user?: string; json?: boolean },
): Promise<number> {
  const started = Date.now();
  const created = await client.json<{
    buildId: string;
    eventsUrl: string;
    previewUrl: string;
    projectId: string;
    estimate: { seconds: number; basis: string; metered: boolean };
  }>('POST', '/v1/create-preview-for-new-project', {
    userId: values.user ?? process.env.SHEEN_USER ?? 'local',
    prompt,
    ...(values.name ? { name: values.name } : {}),
    ...(values.framework ? { framework: values.framework } : {}),
  });
  const progress = values.json ? undefined : new StageProgress(process.stdout);
  if (!values.json) {
    process.stdout.write(`Build ${created.buildId} (project ${created.projectId})\n`);
    const { seconds, basis, metered } = created.estimate;
    if (metered)
      process.stdout.write(`Estimated AI time: ${seconds} s (${basis.replace('-', ' ')})\n`);
  }
  for await (const { data } of client.events(created.eventsUrl)) {
    const type = String(data.type);
    const stage = typeof data.stage === 'string' ? data.stage : '';
    const detail = (data.data ?? {}) as Record<string, unknown>;
    if (type === 'stage.started') progress?.start(stage);
    else if (type === 'stage.finished') progress?.finish(stage, true, Number(detail.durationMs));
    else if (type === 'stage.failure') progress?.finish(stage, false);
    else if (type === 'build.finished') break;
  }
  progress?.stop();
  const build = await client.json<BuildView>('GET', `/v1/builds/${created.buildId}`);
  if (values.json) {
    process.stdout.write(JSON.stringify(build, null, 2) + '\n');
  } else if (build.status === 'succeeded') {
    process.stdout.write(`\nLive in ${formatMs(Date.now() - started)}: ${build.previewUrl}\n`);
  } else {
    printStatus(build);
  }
  return build.status === 'succeeded' ? 0 : 1;
}

function printStatus(build: BuildView): void {
  const out = process.stdout;
  out.write(
    `Build ${build.buildId}: ${build.status}${build.stage ? ` (stage ${build.stage})` : ''}\n`,
  );
  for (const s of build.stages) {
    const mark =
      s.status === 'succeeded'
        ? '✔'
        : s.status === 'failed'
          ? '✖'
          : s.status === 'running'
            ? '…'
            : ' ';
    out.write(
      `${mark} ${s.name.padEnd(9)} ${s.durationMs === null ? '' : formatMs(s.durationMs).padStart(8)}\n`,
    );
  }
  if (build.previewUrl) out.write(`Preview: ${build.previewUrl}\n`);
  if (build.error)
    out.write(`Error ${build.error.code}: ${build.error.message}\nHint: ${build.error.hint}\n`);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof ApiError) {
      process.stderr.write(
        `Error ${err.code}: ${err.message}\n${err.hint ? `Hint: ${err.hint}\n` : ''}`,
      );
    } else if (err instanceof UsageError) {
      process.stderr.write(`${err.message}\n\n${USAGE}`);
      process.exit(2);
    } else {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    }
    process.exit(1);
  },
);
