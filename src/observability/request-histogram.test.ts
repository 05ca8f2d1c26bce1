import { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { RequestHistogram } from './request-histogram.js';

const NAME = 'test_http_request_duration_seconds';
const HELP = 'HTTP requests by method, matched route pattern and status code.';
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

type Observation = [method: string, route: string, status: number, seconds: number];

/** The same observations through prom-client's Histogram and through RequestHistogram. */
function both(observations: Observation[]) {
  const theirs = new Registry();
  const reference = new Histogram({
    name: NAME,
    help: HELP,
    labelNames: ['method', 'route', 'status_code'],
    buckets: BUCKETS,
    registers: [theirs],
  });
  const ours = new Registry();
  const fast = new RequestHistogram(NAME, HELP, BUCKETS).register(ours);
  for (const [method, route, status, seconds] of observations) {
    reference.observe({ method, route, status_code: status }, seconds);
    fast.observe(method, route, status, seconds);
  }
  return { theirs, ours, fast, reference };
}

const OBSERVATIONS: Observation[] = [
  ['GET', '/myhealthz', 200, 0.0004],
  ['GET', '/v1/builds/:buildId', 200, 0.003],
  ['GET', '/myhealthz', 200, 0.005], // on a bound: counted in that bucket, as prom-client does
  ['HEAD', '/myhealthz', 200, 0.02],
  ['GET', '/v1/builds/:buildId', 404, 0.07],
  ['POST', '/v1/create-preview-for-new-project', 202, 0.3],
  ['GET', 'site', 200, 11], // past every bound: only +Inf, the sum and the count
  ['GET', '/myhealthz', 200, 1.5],
  ['GET', 'unmatched', 404, 0],
];

describe('RequestHistogram', () => {
  it('exposes exactly what prom-client exposes for the same observations', async () => {
    const { theirs, ours } = both(OBSERVATIONS);
    const text = await ours.metrics();
    expect(text).toBe(await theirs.metrics());
    expect(text).toContain(
      `${NAME}_bucket{le="0.005",method="GET",route="/myhealthz",status_code="200"} 2`,
    );
    expect(text).toContain(`${NAME}_count{method="GET",route="site",status_code="200"} 1`);
  });

  it('reads as prom-client JSON the same way (names, type, every value)', async () => {
    const { theirs, ours } = both(OBSERVATIONS);
    const strip = (json: Awaited<ReturnType<Registry['getMetricsAsJSON']>>) =>
      json.map(({ name, help, type, values }) => ({
        name,
        help,
        type,
        values: values.map(({ labels, value, ...rest }) => ({
          labels,
          value,
          metricName: (rest as { metricName?: string }).metricName,
        })),
      }));
    expect(strip(await ours.getMetricsAsJSON())).toEqual(strip(await theirs.getMetricsAsJSON()));
  });

  it('starts empty, and a reset through the registry empties it again', async () => {
    const { theirs, ours } = both([]);
    expect(await ours.metrics()).toBe(await theirs.metrics());
    const filled = both(OBSERVATIONS);
    filled.ours.resetMetrics();
    filled.theirs.resetMetrics();
    expect(await filled.ours.metrics()).toBe(await filled.theirs.metrics());
    filled.fast.observe('GET', '/myhealthz', 200, 0.001);
    expect(await filled.ours.metrics()).toContain(
      `${NAME}_count{method="GET",route="/myhealthz",status_code="200"} 1`,
    );
  });

  it('refuses a value that is not a finite number, as prom-client does', () => {
    const { fast, reference } = both([]);
    expect(() => reference.observe({ method: 'GET' }, NaN)).toThrow(TypeError);
    expect(() => fast.observe('GET', '/x', 200, NaN)).toThrow(TypeError);
    expect(() => fast.observe('GET', '/x', 200, Infinity)).toThrow(TypeError);
  });

  it('cannot be registered twice under one name', () => {
    const registry = new Registry();
    new RequestHistogram(NAME, HELP, BUCKETS).register(registry);
    expect(() => new RequestHistogram(NAME, HELP, BUCKETS).register(registry)).toThrow(
      /already been registered/,
    );
  });
});
