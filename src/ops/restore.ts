import { applyRestore } from './apply-restore.js';
import { opsContext, parseOpsArgs, runCommand } from './ops-cli.js';

const USAGE = `usage: npm run restore -- <backup directory> | --from <backup directory> [--force] [--with-secrets]

Stop the worker first. Restores the artifacts and then the database of a backup taken by
npm run backup, after checking every checksum. --force replaces a database that holds data;
--with-secrets also restores the signing keys (only from a backup taken with them).`;

/** `npm run restore`: reads the same environment as the worker it restores. */
runCommand('restore', async (useRedactor) => {
  const { dir, values } = parseOpsArgs(
    process.argv.slice(2),
    {
      from: { type: 'string' },
      force: { type: 'boolean', default: false },
      'with-secrets': { type: 'boolean', default: false },
    },
    USAGE,
    'from',
  );
  const { config, redact, say } = opsContext(process.env);
  useRedactor(redact);
  await applyRestore({
    config,
    from: dir,
    force: values.force === true,
    withSecrets: values['with-secrets'] === true,
    say,
  });
  say(`restore complete from ${dir}: start the worker`);
});
