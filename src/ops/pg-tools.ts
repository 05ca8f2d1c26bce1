import { execFile } from 'node:child_process';

/**
 * pg_dump and pg_restore, run without a shell. The password never reaches argv (where `ps`
 * shows it) or a log: it leaves the URL and goes to the child as PGPASSWORD.
 */
export interface PgTarget {
  /** DATABASE_URL without its password. */
  url: string;
  env: Record<string, string>;
}

export function pgTarget(databaseUrl: string, systemPath: string): PgTarget {
  const url = new URL(databaseUrl);
  const password = url.password ? decodeURIComponent(url.password) : undefined;
  url.password = '';
  return {
    url: url.toString(),
    env: { PATH: systemPath, ...(password ? { PGPASSWORD: password } : {}) },
  };
}

/** A dump in pg_dump's custom format of exactly the snapshot another transaction exported. */
export async function pgDump(target: PgTarget, snapshot: string, file: string): Promise<void> {
  await run(
    'pg_dump',
    ['--format=custom', `--snapshot=${snapshot}`, `--file=${file}`, `--dbname=${target.url}`],
    target.env,
  );
}

/**
 * Replaces what the dump holds in the target database, in one transaction: a restore that
 * fails part-way leaves the database as it was. Objects end up owned by the restoring role.
 */
export async function pgRestore(target: PgTarget, file: string): Promise<void> {
  await run(
    'pg_restore',
    [
      '--clean',
      '--if-exists',
      '--no-owner',
      '--no-privileges',
      '--single-transaction',
      '--exit-on-error',
      `--dbname=${target.url}`,
      file,
    ],
    target.env,
  );
}

function run(bin: string, args: string[], env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(bin, args, { env, maxBuffer: 16 * 1024 * 1024 }, (err, _stdout, stderr) => {
      if (!err) return resolve();
      const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
      reject(
        new Error(
          missing
            ? `${bin} is not installed: install the PostgreSQL client tools (postgresql-client, the server's major version or newer)`
            : `${bin} failed: ${stderr.trim().split('\n').slice(-5).join(' | ') || err.message}`,
        ),
      );
    });
  });
}
