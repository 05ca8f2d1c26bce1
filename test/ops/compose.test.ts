import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config/config.js';

/**
 * compose.yaml, .env.example and the Dockerfile, checked without a Docker daemon: the compose
 * file against the schema of the Compose Specification's keys it uses, its services against
 * what the architecture needs, and every value against inline secrets.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

interface Service {
  image?: string;
  env_file?: string | string[];
  environment?: Record<string, string | number | boolean | null>;
  healthcheck?: { test: string[] | string };
  depends_on?: Record<string, { condition: string }>;
  volumes?: string[];
  ports?: string[];
  command?: string[];
}
interface Compose {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
}

const composeText = read('compose.yaml');
// Plain YAML: no anchors or merge keys, so any reader sees the services as compose does.
const compose = parse(composeText) as Compose;
const validate = new Ajv({ allErrors: true, allowUnionTypes: true }).compile(
  JSON.parse(read('ops/compose-subset.schema.json')) as object,
);

function appServices(role: string): Array<[string, Service]> {
  return Object.entries(compose.services).filter(([, s]) => s.environment?.ROLE === role);
}

/** Compose interpolation: ${VAR}, ${VAR:-default}, ${VAR:?error}, and $$ for a literal $. */
function interpolate(value: string, vars: Record<string, string>): string {
  return value
    .replace(
      /\$\{([A-Z0-9_]+)(?::?([-?])([^}]*))?\}/g,
      (_, name: string, op?: string, arg?: string) => {
        const v = vars[name];
        if (v !== undefined && v !== '') return v;
        if (op === '?') throw new Error(`${name}: ${arg}`);
        return op === '-' ? (arg ?? '') : '';
      },
    )
    .replace(/\$\$/g, '$');
}

function dotenv(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line);
    if (match?.[1]) vars[match[1]] = match[2] ?? '';
  }
  return vars;
}

function strings(value: unknown, at: string, out: Array<[string, string]> = []) {
  if (typeof value === 'string') out.push([at, value]);
  else if (Array.isArray(value)) value.forEach((v, i) => strings(v, `${at}[${i}]`, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) strings(v, `${at}.${k}`, out);
  }
  return out;
}

describe('compose.yaml', () => {
  it('validates against the Compose Specification schema of the keys it uses', () => {
    const ok = validate(compose);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('is refused by the same schema when a key is misspelt or mistyped', () => {
    const api = compose.services.api as Service;
    const typo = { ...compose, services: { ...compose.services, api: { ...api, healtcheck: {} } } };
    expect(validate(typo)).toBe(false);
    const badCondition = {
      ...compose,
      services: {
        ...compose.services,
        api: { ...api, depends_on: { redis: { condition: 'up' } } },
      },
    };
    expect(validate(badCondition)).toBe(false);
  });

  it('writes every setting out, with the api and the workers built and checked alike', () => {
    expect(composeText).not.toMatch(/<<:|&[a-z]|\*[a-z]/);
    const apps = [...appServices('api'), ...appServices('worker')].map(([, s]) => s);
    const shared = ({ build, healthcheck, env_file, depends_on }: Service & { build?: unknown }) =>
      JSON.stringify({ build, healthcheck, env_file, depends_on });
    expect(new Set(apps.map(shared)).size).toBe(1);
  });

  it('runs PostgreSQL, Redis, one api and two workers, each with a health check', () => {
    expect(appServices('api').map(([name]) => name)).toEqual(['api']);
    expect(appServices('worker')).toHaveLength(2);
    const pg = compose.services.postgres as Service;
    const redis = compose.services.redis as Service;
    expect(pg.image).toMatch(/^postgres:15/);
    expect(pg.healthcheck?.test).toContain('pg_isready');
    expect(redis.image).toMatch(/^redis:/);
    expect(String(redis.healthcheck?.test)).toContain('ping');
    for (const [, s] of [...appServices('api'), ...appServices('worker')]) {
      expect(s.env_file).toBe('.env');
      const check = (s.healthcheck?.test as string[]).join(' ');
      expect(check).toContain('/myhealthz');
      expect(check).toContain('process.env.PORT');
      expect(s.depends_on).toEqual({
        postgres: { condition: 'service_healthy' },
        redis: { condition: 'service_healthy' },
      });
    }
  });

  it('shares one artifact store between the api and the workers, on named volumes', () => {
    const declared = Object.keys(compose.volumes);
    for (const [name, s] of [...appServices('api'), ...appServices('worker')]) {
      expect(s.volumes, name).toContain('artifacts:/data/artifacts');
      for (const mount of s.volumes ?? []) {
        expect(declared, mount).toContain(mount.split(':')[0]);
      }
    }
    const dataVolumes = [...appServices('api'), ...appServices('worker')].map(([, s]) =>
      s.volumes?.find((v) => v.endsWith(':/data')),
    );
    // Workspaces and caches are per process; only artifacts are shared.
    expect(new Set(dataVolumes).size).toBe(3);
  });

  it('holds no secret: passwords and keys come from .env by interpolation', () => {
    const secretName = /SECRET|PASSWORD|TOKEN|API_KEY|ACCESS_KEY/;
    for (const [at, value] of strings(compose, 'compose')) {
      const key = at.split('.').at(-1) ?? '';
      if (secretName.test(key)) expect(value, at).toMatch(/^\$\{[A-Z0-9_]+:\?[^}]*\}$/);
      // A URL's password is an interpolation, never a literal.
      const userinfo = /:\/\/[^/@\s]*:([^@/\s]+)@/.exec(value);
      if (userinfo) expect(userinfo[1], at).toMatch(/^\$\{[A-Z0-9_]+(:\?[^}]*)?\}$/);
      expect(value, at).not.toMatch(/\b[0-9a-f]{32,}\b|whsec_|sk-[A-Za-z0-9]|AKIA[0-9A-Z]{16}/);
    }
  });
});

describe('.env.example with compose.yaml', () => {
  const example = dotenv(read('.env.example'));

  it('names every variable compose requires, with no value for a secret', () => {
    const required = [...composeText.matchAll(/\$\{([A-Z0-9_]+):\?/g)].map((m) => m[1] as string);
    expect(required.length).toBeGreaterThan(0);
    for (const name of new Set(required)) expect(example[name], name).toBe('');
    for (const name of ['HMAC_SECRETS', 'ADMIN_HMAC_SECRETS']) expect(example[name]).toBe('');
  });

  it('refuses to start compose without the passwords', () => {
    const api = compose.services.api as Service;
    expect(() => interpolate(String(api.environment?.DATABASE_URL), example)).toThrow(
      /POSTGRES_PASSWORD/,
    );
  });

  it('gives every app service a configuration the worker accepts once the secrets are filled', () => {
    const filled = {
      ...example,
      HMAC_SECRETS: 'a1'.repeat(32),
      ADMIN_HMAC_SECRETS: 'b2'.repeat(32),
      POSTGRES_PASSWORD: 'c3'.repeat(16),
      REDIS_PASSWORD: 'd4'.repeat(16),
    };
    for (const [name, s] of [...appServices('api'), ...appServices('worker')]) {
      const env: Record<string, string> = { ...filled };
      for (const [k, v] of Object.entries(s.environment ?? {})) {
        env[k] = interpolate(String(v), filled);
      }
      const config = loadConfig(env);
      expect(config.env, name).toBe('production');
      expect(config.database.kind, name).toBe('postgres');
      expect(config.redis?.url, name).toBe(`redis://:${'d4'.repeat(16)}@redis:6379`);
      expect(config.dataDir, name).toBe('/data');
      expect(config.http.host, name).toBe('0.0.0.0');
    }
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const healthcheck = /^HEALTHCHECK[\s\S]*?CMD (.*)$/m.exec(dockerfile)?.[1] ?? '';

  it('checks health on the port the container listens on', () => {
    expect(healthcheck).toContain('/myhealthz');
    expect(healthcheck).toContain('process.env.PORT');
    expect(healthcheck).not.toMatch(/127\.0\.0\.1:8080/);
  });

  it('installs the Claude Code CLI only when asked, at the tested version', () => {
    expect(dockerfile).toMatch(/^ARG INSTALL_CLAUDE_CLI=false$/m);
    expect(dockerfile).toMatch(/if \[ "\$INSTALL_CLAUDE_CLI" = "true" \]; then/);
    expect(dockerfile).toContain('npm install -g');
    expect(dockerfile).toContain('@anthropic-ai/claude-code@${CLAUDE_CLI_VERSION}');
    const pkg = JSON.parse(read('package.json')) as { devDependencies: Record<string, string> };
    const tested = pkg.devDependencies['@anthropic-ai/claude-code'];
    expect(dockerfile).toContain(`ARG CLAUDE_CLI_VERSION=${tested}`);
  });

  it('runs as the unprivileged node user, with pg_dump for backups', () => {
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    const user = runtime.indexOf('\nUSER node');
    expect(user).toBeGreaterThan(0);
    expect(runtime.indexOf('\nCMD ')).toBeGreaterThan(user);
    expect(runtime).toContain('postgresql-client');
  });
});
