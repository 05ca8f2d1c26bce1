import { useEffect, useState } from 'react';

export interface OpeningHoursProps {
  anchor: string;
  title: string;
  note: string;
  /** One row per day, Monday first; `day` is 0 for Sunday as in Date.getDay(). */
  days: { day: number; label: string; opens: string; closes: string }[];
}

function minutes(time: string): number {
  const [hours = '0', mins = '0'] = time.split(':');
  return Number(hours) * 60 + Number(mins);
}

/** Open now, by the visitor's clock; a closing time at or before opening runs past midnight. */
function isOpen(row: OpeningHoursProps['days'][number] | undefined, now: Date): boolean {
  if (!row || !row.opens || !row.closes) return false;
  const at = now.getHours() * 60 + now.getMinutes();
  const opens = minutes(row.opens);
  const closes = minutes(row.closes);
  return closes > opens ? at >= opens && at < closes : at >= opens || at < closes;
}

export default function OpeningHours({ anchor, title, note, days }: OpeningHoursProps) {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(new Date()), 60_000);
    return () => window.clearInterval(timer);
  }, []);

  const today = now.getDay();
  const open = isOpen(
    days.find((row) => row.day === today),
    now,
  );

  return (
    <section id={anchor} className="section" aria-labelledby={anchor + '-title'}>
      <div className="container narrow">
        <h2 id={anchor + '-title'}>{title}</h2>
        <p className={open ? 'hours-status open' : 'hours-status'} role="status">
          {open ? 'Open now' : 'Closed now'}
        </p>
        <table className="hours-table">
          <caption className="sr-only">{title}</caption>
          <tbody>
            {days.map((row) => (
              <tr key={row.day} className={row.day === today ? 'today' : undefined}>
                <th scope="row">
                  {row.label}
                  {row.day === today ? <span className="sr-only"> (today)</span> : null}
                </th>
                <td>{row.opens && row.closes ? row.opens + ' – ' + row.closes : 'Closed'}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {note ? <p className="muted small">{note}</p> : null}
      </div>
    </section>
  );
}
