import { z } from 'zod';
import { optionalString, urlWithProtocols } from './env-values.js';

/** Where builds are deployed: the variables, their cross-field rules and the Config slice. */

export const DEPLOYERS = ['local', 'cloudflare-pages'] as const;

export const deployEnv = {
  DEPLOYER: z.enum(DEPLOYERS).default('local'),
  CF_ACCOUNT_ID: optionalString,
  CF_API_TOKEN: optionalString,
  CF_API_BASE_URL: urlWithProtocols(['http:', 'https:']),
  CF_PAGES_PROJECT_PREFIX: optionalString.refine(
    (v) => v === undefined || /^[a-z0-9](?:[a-z0-9-]{0,29}[a-z0-9])?$/.test(v),
    {
      message:
        'must be 1 to 31 lowercase letters, digits or dashes, not starting or ending with a dash',
    },
  ),
};

type DeployEnv = { [K in keyof typeof deployEnv]: z.output<(typeof deployEnv)[K]> };

export function deployRules(env: DeployEnv, ctx: z.RefinementCtx): void {
  if (env.DEPLOYER !== 'cloudflare-pages') return;
  for (const name of ['CF_ACCOUNT_ID', 'CF_API_TOKEN'] as const) {
    if (env[name]) continue;
    ctx.addIssue({
      code: 'custom',
      path: [name],
      message: 'is required when DEPLOYER=cloudflare-pages',
    });
  }
}

export function deploySection(env: DeployEnv) {
  if (env.DEPLOYER === 'local') return { kind: 'local' as const };
  return {
    kind: 'cloudflare-pages' as const,
    accountId: env.CF_ACCOUNT_ID ?? '',
    apiToken: env.CF_API_TOKEN ?? '',
    apiBaseUrl: (env.CF_API_BASE_URL ?? 'https://api.cloudflare.com/client/v4').replace(/\/$/, ''),
    /** Pages project names are `<prefix>-<project id>`; the prefix tells apart installations. */
    projectPrefix: env.CF_PAGES_PROJECT_PREFIX ?? 'sheen',
  };
}
