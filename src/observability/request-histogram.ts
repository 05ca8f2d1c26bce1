import type { Aggregator, Metric, MetricValueWithName, Registry } from 'prom-client';

type Label = 'method' | 'route' | 'status_code';
type Labels = { method: string; route: string; status_code: number };

interface Series {
  labels: Labels;
  /** Observations per bucket (not cumulative); the last slot is past every bound. */
  counts: number[];
  sum: number;
  count: number;
}

/**
 * The HTTP request histogram, observed once per response. prom-client's Histogram finds a
 * label set's series by joining its labels into a string and looking that up on every
 * observation, and keys its buckets by the bounds as property names: about 2.5 µs a
 * response inside the worker, with the garbage it leaves a tenth of the liveness route's
 * cost. Here a series is found by three map lookups on values the caller already holds
 * (the route pattern, the status code, the method) and its buckets are an array.
 *
 * prom-client's registry still exposes it: `get()` returns what prom-client's Histogram
 * returns for the same observations, so the text Prometheus scrapes is the same
 * (request-histogram.test.ts beside it compares the two).
 */
export class RequestHistogram {
  readonly type = 'histogram';
  readonly aggregator: Aggregator = 'sum';
  private readonly byRoute = new Map<string, Map<number, Map<string, Series>>>();
  /** Every series in the order first observed, as prom-client lists them. */
  private series: Series[] = [];

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly upperBounds: readonly number[],
  ) {}

  /** Registers with a prom-client registry, which reads it as it reads its own metrics. */
  register(registry: Registry): this {
    // The registry's contract is the shape (name, type, get, reset), not the class.
    registry.registerMetric(this as unknown as Metric<Label>);
    return this;
  }

  observe(method: string, route: string, statusCode: number, seconds: number): void {
    if (!Number.isFinite(seconds)) throw new TypeError(`Value is not a valid number: ${seconds}`);
    const series = this.seriesFor(method, route, statusCode);
    let i = 0;
    while (i < this.upperBounds.length && seconds > (this.upperBounds[i] as number)) i++;
    series.counts[i] = (series.counts[i] as number) + 1;
    series.sum += seconds;
    series.count += 1;
  }

  private seriesFor(method: string, route: string, statusCode: number): Series {
    let byStatus = this.byRoute.get(route);
    if (!byStatus) this.byRoute.set(route, (byStatus = new Map<number, Map<string, Series>>()));
    let byMethod = byStatus.get(statusCode);
    if (!byMethod) byStatus.set(statusCode, (byMethod = new Map<string, Series>()));
    let series = byMethod.get(method);
    if (!series) {
      series = {
        labels: { method, route, status_code: statusCode },
        counts: new Array<number>(this.upperBounds.length + 1).fill(0),
        sum: 0,
        count: 0,
      };
      byMethod.set(method, series);
      this.series.push(series);
    }
    return series;
  }

  /** Cumulative buckets, +Inf, sum and count per series, labelled as prom-client does. */
  get(): Promise<{
    name: string;
    help: string;
    type: 'histogram';
    aggregator: Aggregator;
    values: Array<MetricValueWithName<Label | 'le'>>;
  }> {
    const values: Array<MetricValueWithName<Label | 'le'>> = [];
    const bucket = `${this.name}_bucket`;
    for (const s of this.series) {
      let cumulative = 0;
      this.upperBounds.forEach((le, i) => {
        cumulative += s.counts[i] as number;
        values.push({ labels: { le, ...s.labels }, value: cumulative, metricName: bucket });
      });
      values.push(
        { labels: { le: '+Inf', ...s.labels }, value: s.count, metricName: bucket },
        { labels: { ...s.labels }, value: s.sum, metricName: `${this.name}_sum` },
        { labels: { ...s.labels }, value: s.count, metricName: `${this.name}_count` },
      );
    }
    return Promise.resolve({
      name: this.name,
      help: this.help,
      type: this.type,
      aggregator: this.aggregator,
      values,
    });
  }

  reset(): void {
    this.byRoute.clear();
    this.series = [];
  }
}
