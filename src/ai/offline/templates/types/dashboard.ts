export type MetricFormat = 'currency' | 'number' | 'percent';

export interface DashboardData {
  title: string;
  period: string;
  currency: string;
  kpis: {
    id: string;
    label: string;
    icon: string;
    value: number;
    format: MetricFormat;
    change: number;
    good: boolean;
  }[];
  series: {
    label: string;
    format: MetricFormat;
    points: { id: string; label: string; value: number }[];
  };
  breakdown: { title: string; items: { id: string; label: string; share: number }[] };
  activity: {
    title: string;
    columns: string[];
    rows: { id: string; cells: string[]; status: string }[];
  };
}
