import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDnsServer, type TestDnsServer } from './dns-server.js';
import { startTestApp, type TestApp } from './harness.js';
import { buildVersion, call, fetchSite, OWNER, siteFiles } from './releases.js';
import { ScriptedEngine } from './scripted-engine.js';

const TARGET = 'edge.sheenapps.dev';

/**
 * Custom domains through the signed API against a real DNS server on 127.0.0.1, on whichever
 * database `env` selects; and every project route refusing a user who does not own it.
 */
export function domainsSuite(profile: string, env: () => Promise<Record<string, string>>) {
  describe(`custom domains and ownership (${profile})`, () => {
    let t: TestApp;
    let dns: TestDnsServer;
    const engine = new ScriptedEngine(siteFiles('Bakery'));
    let projectId: string;
    let otherProjectId: string;
    let versionId: string;

    beforeAll(async () => {
      dns = await startDnsServer();
      t = await startTestApp({
        engine,
        workers: true,
        env: {
          ...(await env()),
          DNS_SERVERS: dns.address,
          DNS_TIMEOUT_MS: '300',
          DOMAIN_CNAME_TARGET: TARGET,
        },
      });
      const build = await buildVersion(t, engine, 'Bakery');
      projectId = build.projectId;
      versionId = build.versionId;
      otherProjectId = (await buildVersion(t, engine, 'Other')).projectId;
      await call(t, 'POST', `/projects/${projectId}/publish/${versionId}`, { userId: OWNER });
    }, 120_000);
    afterAll(async () => {
      await t?.close();
      await dns?.close();
    });

    const base = () => `/projects/${projectId}/domains`;
    const add = (domain: string, project = projectId) =>
      call(t, 'POST', `/projects/${project}/domains`, { userId: OWNER, domain });
    const verify = (domain: string) =>
      call(t, 'POST', `${base()}/${encodeURIComponent(domain)}/verify`, { userId: OWNER });

    it('claims a domain and answers the records to create', async () => {
      const res = await add('Shop.Bakery-Lisbon.PT.');
      expect(res.status).toBe(201);
      expect(res.body.domain).toBe('shop.bakery-lisbon.pt');
      expect(res.body.status).toBe('pending');
      const [txt, cname] = res.body.records;
      expect(txt).toMatchObject({ type: 'TXT', name: '_sheen-challenge.shop.bakery-lisbon.pt' });
      expect(txt.value.length).toBeGreaterThanOrEqual(22);
      expect(cname).toEqual({ type: 'CNAME', name: 'shop.bakery-lisbon.pt', value: TARGET });
      const again = await add('shop.bakery-lisbon.pt');
      expect(again.status).toBe(200);
      expect(again.body.records).toEqual(res.body.records);
    });

    it('converts a Unicode name to punycode', async () => {
      const res = await add('bäckerei.de');
      expect(res.status).toBe(201);
      expect(res.body.domain).toBe('xn--bckerei-5wa.de');
    });

    it('refuses a domain another project holds with 409 DOMAIN_TAKEN', async () => {
      const res = await add('shop.bakery-lisbon.pt', otherProjectId);
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('DOMAIN_TAKEN');
    });

    it('refuses names that are not public host names', async () => {
      for (const bad of [
        '127.0.0.1',
        '*.shop.com',
        'localhost',
        'printer.local',
        'db.internal',
        'x.localhost',
        `a.${TARGET}`,
        'no_underscores.com',
        'a'.repeat(64) + '.com',
      ]) {
        const res = await add(bad);
        expect(res.status, bad).toBe(400);
        expect(res.body.error.code, bad).toBe('VALIDATION_FAILED');
      }
    });

    it('verifies against DNS: wrong token, NXDOMAIN, timeout, then success', async () => {
      const claimed = await add('www.sunrise.pt');
      const token: string = claimed.body.records[0].value;
      const challenge = '_sheen-challenge.www.sunrise.pt';

      dns.set(challenge, 'nxdomain');
      let res = await verify('www.sunrise.pt');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'failed', error: expect.any(String) });
      expect(res.body.checkedAt).toEqual(expect.any(String));

      dns.set(challenge, { txt: ['not-the-token'] });
      dns.set('www.sunrise.pt', { cname: TARGET });
      res = await verify('www.sunrise.pt');
      expect(res.body.status).toBe('failed');
      expect(res.body.error).toMatch(/TXT/);

      dns.set(challenge, 'silent');
      const started = Date.now();
      res = await verify('www.sunrise.pt');
      expect(res.body.status).toBe('failed');
      expect(res.body.error).toMatch(/did not (answer|finish)/i);
      expect(Date.now() - started).toBeLessThan(10_000);

      dns.set(challenge, { txt: [token] });
      res = await verify('www.sunrise.pt');
      expect(res.body).toMatchObject({ status: 'verified', error: null });
      expect(res.body.verifiedAt).toEqual(expect.any(String));
    });

    it('serves the published version on a verified domain and 404 on an unverified one', async () => {
      const site = await fetchSite(t, 'www.sunrise.pt');
      expect(site.status).toBe(200);
      expect(site.body).toContain('<h1>Bakery</h1>');
      expect((await fetchSite(t, 'WWW.SUNRISE.PT.:8080', '/menu')).body).toContain('Bakery');
      const pending = await fetchSite(t, 'shop.bakery-lisbon.pt');
      expect(pending.status).toBe(404);
      const status = await call(
        t,
        'GET',
        `/projects/${projectId}/publication-status?userId=${OWNER}`,
      );
      const domains = status.body.domains.map((d: { domain: string; status: string }) => [
        d.domain,
        d.status,
      ]);
      expect(domains).toEqual(
        expect.arrayContaining([
          ['www.sunrise.pt', 'verified'],
          ['shop.bakery-lisbon.pt', 'pending'],
        ]),
      );
    });

    it('stops serving a domain once it is removed', async () => {
      const res = await call(t, 'DELETE', `${base()}/www.sunrise.pt?userId=${OWNER}`);
      expect(res.status).toBe(200);
      expect((await fetchSite(t, 'www.sunrise.pt')).status).toBe(404);
      const list = await call(t, 'GET', `${base()}?userId=${OWNER}`);
      expect(list.body.domains.map((d: { domain: string }) => d.domain)).not.toContain(
        'www.sunrise.pt',
      );
    });

    it("answers 404 on every project route for someone else's project", async () => {
      const intruder = 'intruder-9';
      const p = `/projects/${projectId}`;
      const requests: Array<[string, string, Record<string, unknown>?]> = [
        ['GET', `/v1${p}/versions?userId=${intruder}`],
        ['POST', `/v1${p}/rollback/${versionId}`, { userId: intruder }],
        ['POST', `/v1${p}/update`, { userId: intruder, prompt: 'take it over' }],
        ['POST', `${p}/publish/${versionId}`, { userId: intruder }],
        ['POST', `/v1${p}/publish/${versionId}`, { userId: intruder }],
        ['DELETE', `${p}/publish?userId=${intruder}`],
        ['GET', `${p}/publication-status?userId=${intruder}`],
        ['POST', `${p}/domains`, { userId: intruder, domain: 'evil.example-shop.com' }],
        ['GET', `${p}/domains?userId=${intruder}`],
        ['POST', `${p}/domains/shop.bakery-lisbon.pt/verify`, { userId: intruder }],
        ['DELETE', `${p}/domains/shop.bakery-lisbon.pt?userId=${intruder}`],
      ];
      const missing = (
        await call(t, 'GET', `/v1/projects/${'0'.repeat(26)}/versions?userId=${intruder}`)
      ).body;
      for (const [method, url, body] of requests) {
        const res = await call(t, method as 'GET', url, body);
        expect(res.status, `${method} ${url}`).toBe(404);
        expect(res.body.error.code).toBe('NOT_FOUND');
        expect(res.body.error.message).not.toContain(OWNER);
      }
      expect(missing.error.code).toBe('NOT_FOUND');
      const build = await call(
        t,
        'GET',
        `/v1/builds/${await fetchBuildId(t, projectId)}?userId=${intruder}`,
      );
      expect(build.status).toBe(404);
      // Nothing changed for the owner.
      const status = await call(t, 'GET', `${p}/publication-status?userId=${OWNER}`);
      expect(status.body.publishedVersionId).toBe(versionId);
    });
  });
}

async function fetchBuildId(t: TestApp, projectId: string): Promise<string> {
  const { rows } = await t.container.db.query<{ id: string }>(
    'SELECT id FROM builds WHERE project_id = $1 LIMIT 1',
    [projectId],
  );
  return rows[0]?.id ?? '';
}
