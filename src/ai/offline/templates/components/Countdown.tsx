import { useEffect, useState } from 'react';

export interface CountdownProps {
  anchor: string;
  title: string;
  /** `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM`, or `--MM-DD` for the next such day (local time). */
  date: string;
  /** How the date reads in the sentence under the title, e.g. "14 March". */
  dateLabel: string;
  doneText: string;
}

/** The moment `date` names in local time, or null when it is not one of the three forms. */
export function targetTime(date: string, now: Date): Date | null {
  const yearly = /^--(\d{2})-(\d{2})$/.exec(date);
  if (yearly) {
    const month = Number(yearly[1]) - 1;
    const day = Number(yearly[2]);
    const thisYear = new Date(now.getFullYear(), month, day);
    const endOfDay = new Date(now.getFullYear(), month, day + 1);
    return endOfDay > now ? thisYear : new Date(now.getFullYear() + 1, month, day);
  }
  const full = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?$/.exec(date);
  if (!full) return null;
  const [, year, month, day, hour = '0', minute = '0'] = full;
  return new Date(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute));
}

const UNITS = [
  { label: 'Days', ms: 86_400_000 },
  { label: 'Hours', ms: 3_600_000 },
  { label: 'Minutes', ms: 60_000 },
  { label: 'Seconds', ms: 1000 },
] as const;

function parts(remaining: number): { label: string; value: number }[] {
  let rest = Math.max(0, remaining);
  return UNITS.map((unit) => {
    const value = Math.floor(rest / unit.ms);
    rest -= value * unit.ms;
    return { label: unit.label, value };
  });
}

export default function Countdown({ anchor, title, date, dateLabel, doneText }: CountdownProps) {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(new Date()), 1000);
    return () => window.clearInterval(timer);
  }, []);

  const target = targetTime(date, now);
  const remaining = target ? target.getTime() - now.getTime() : 0;
  const headingId = anchor + '-title';

  return (
    <section id={anchor} className="section" aria-labelledby={headingId}>
      <div className="container narrow countdown">
        <h2 id={headingId}>{title}</h2>
        {remaining > 0 ? (
          <>
            <p className="muted">Counting down to {dateLabel}.</p>
            <dl className="countdown-grid" role="timer" aria-label={'Time left until ' + dateLabel}>
              {parts(remaining).map((part) => (
                <div key={part.label} className="countdown-part">
                  <dt>{part.label}</dt>
                  <dd>{part.value}</dd>
                </div>
              ))}
            </dl>
          </>
        ) : (
          <p className="countdown-done" role="status">
            {doneText}
          </p>
        )}
      </div>
    </section>
  );
}
