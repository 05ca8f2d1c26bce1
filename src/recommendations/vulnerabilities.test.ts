import { describe, expect, it } from 'vitest';
import { auditFindings, vulnerabilityItems } from './vulnerabilities.js';

const finding = (over: Record<string, unknown>) => ({
  name: 'tmpl-engine',
  version: '1.0.0',
  id: '1',
  title: 'Prototype pollution',
  url: 'https://github.com/advisories/GHSA-x',
  severity: 'moderate',
  vulnerableVersions: '<1.0.1',
  fixVersion: '1.0.1',
  ...over,
});

describe('vulnerable dependencies as recommendations', () => {
  it('one item per installed version, at its worst advisory, with the upgrade to make', () => {
    const list = auditFindings({
      findings: [
        finding({ id: '1', severity: 'moderate' }),
        finding({ id: '2', severity: 'critical', title: 'RCE' }),
        finding({ name: 'other', version: '2.0.0', severity: 'low', fixVersion: null }),
      ],
    });
    const items = vulnerabilityItems(list);
    expect(items.map((i) => [i.key, i.severity])).toEqual([
      ['tmpl-engine@1.0.0', 'high'],
      ['other@2.0.0', 'low'],
    ]);
    expect(items[0]).toMatchObject({
      kind: 'build.vulnerable-dependency',
      origin: 'measured',
      action: 'Upgrade tmpl-engine to 1.0.1 or later (npm install tmpl-engine@1.0.1).',
      evidence: { severity: 'critical', advisories: [{ id: '1' }, { id: '2' }] },
    });
    expect(items[1]?.action).toContain('No fixed version of other');
  });

  it('reads nothing from an event without findings, or from no event', () => {
    expect(auditFindings(null)).toEqual([]);
    expect(auditFindings({ findings: 'lots' })).toEqual([]);
    expect(auditFindings({ findings: [null, 3, { title: 'no name' }] })).toEqual([]);
  });
});
