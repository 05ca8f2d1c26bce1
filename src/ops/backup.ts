import path from 'node:path';
import { opsContext, parseOpsArgs, runCommand } from './ops-cli.js';
import { takeBackup } from './take-backup.js';

const USAGE = `usage: npm run backup -- [<new directory> | --out <new directory>] [--with-secrets] [--url <worker URL>]

Backs up the database (pg_dump with DATABASE_URL; otherwise the embedded database, through the
running worker at --url, default http://127.0.0.1:$PORT) and every artifact it names.
--with-secrets also copies the generated signing keys under DATA_DIR/secrets. Without a
directory, writes to ./backups/<UTC time>.`;

/** `npm run backup`: reads the same environment as the worker it backs up. */
runCommand('backup', async (useRedactor) => {
  const { dir, values } = parseOpsArgs(
    process.argv.slice(2),
    {
      out: { type: 'string' },
      'with-secrets': { type: 'boolean', default: false },
      url: { type: 'string' },
    },
    USAGE,
    'out',
    path.join('backups', new Date().toISOString().replace(/[:.]/g, '').slice(0, 17) + 'Z'),
  );
  const { config, redact, say } = opsContext(process.env);
  useRedactor(redact);
  const manifest = await takeBackup({
    config,
    out: dir,
    withSecrets: values['with-secrets'] === true,
    workerUrl:
      values.url ?? process.env.SHEEN_URL ?? `http://127.0.0.1:${config.http.port || 8080}`,
    say,
  });
  say(
    `backup written to ${dir}: ${manifest.profile} database at schema version ${manifest.schemaVersion}, ${manifest.artifacts.count} artifacts`,
  );
});
