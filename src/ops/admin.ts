import { ApiError, WorkerClient } from '../cli/client.js';
import { opsContext, runCommand, signingSecret, UsageError } from './ops-cli.js';

const USAGE = `usage: npm run admin -- <GET|POST> <path> [--url <worker URL>] [--app]

Sends one request signed with the admin secret (ADMIN_HMAC_SECRETS, else DATA_DIR/secrets/admin.key;
with --app, HMAC_SECRETS or DATA_DIR/secrets/hmac.key, for routes outside /v1/admin/) to the
worker at --url (default SHEEN_URL, else http://127.0.0.1:$PORT) and prints the JSON answer.
For example: npm run admin -- GET /v1/admin/queue-status
             npm run admin -- POST /v1/builds/<buildId>/cancel --app`;

/** `npm run admin`: signed requests from a shell, for the runbooks in docs/runbooks/. */
runCommand('admin', async (useRedactor) => {
  const args = process.argv.slice(2);
  const urlFlag = args.indexOf('--url');
  const url = urlFlag >= 0 ? args.splice(urlFlag, 2)[1] : undefined;
  const appFlag = args.indexOf('--app');
  if (appFlag >= 0) args.splice(appFlag, 1);
  const level = appFlag >= 0 ? 'app' : 'admin';
  const [method, route, ...rest] = args;
  if (!method || !['GET', 'POST'].includes(method) || !route?.startsWith('/')) {
    throw new UsageError(USAGE);
  }
  if (level === 'admin' && !route.startsWith('/v1/admin/')) throw new UsageError(USAGE);
  if (rest.length > 0 || (urlFlag >= 0 && !url)) throw new UsageError(USAGE);
  const { config, redact } = opsContext(process.env);
  useRedactor(redact);
  const client = new WorkerClient({
    baseUrl: url ?? process.env.SHEEN_URL ?? `http://127.0.0.1:${config.http.port || 8080}`,
    secret: await signingSecret(config, level),
  });
  try {
    const answer = await client.json(method, route);
    process.stdout.write(`${redact(JSON.stringify(answer, null, 2))}\n`);
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    throw new Error(
      `${err.status} ${err.code}: ${err.message}${err.hint ? `\nhint: ${err.hint}` : ''}`,
      { cause: err },
    );
  }
});
