/** Dates for the countdown: from the spec's free text to the forms the component reads. */

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
] as const;

function monthIndex(word: string): number {
  const lower = word.toLowerCase();
  return MONTHS.findIndex((month) => lower.length >= 3 && month.startsWith(lower));
}

const pad = (value: number) => String(value).padStart(2, '0');

/**
 * `--MM-DD` (the next such day) for "14 March", "March 14th" or "Oct 3", `YYYY-MM-DD` when a
 * year is given; null when the text names no day of a month.
 */
export function dateFromText(text: string): string | null {
  const iso = /\b(\d{4})-(\d{2})-(\d{2})\b/.exec(text);
  if (iso) return iso[0];
  const dayFirst = /\b(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?(?:,?\s+(\d{4}))?/i.exec(text);
  const monthFirst = /\b([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(\d{4}))?/i.exec(text);
  const found = [
    dayFirst && { day: dayFirst[1], month: dayFirst[2], year: dayFirst[3] },
    monthFirst && { day: monthFirst[2], month: monthFirst[1], year: monthFirst[3] },
  ].find((candidate) => candidate && monthIndex(candidate.month ?? '') !== -1);
  if (!found) return null;
  const month = monthIndex(found.month ?? '') + 1;
  const day = Number(found.day);
  if (day < 1 || day > 31) return null;
  return (found.year ? found.year : '-') + '-' + pad(month) + '-' + pad(day);
}

/** "14 March", "14 March 2027" or "14 March 2027, 18:30" for a date in a countdown form. */
export function dateLabel(date: string): string {
  const match = /^(\d{4}|-)-(\d{2})-(\d{2})(?:T(\d{2}:\d{2}))?$/.exec(date);
  if (!match) return date;
  const [, year, month, day, time] = match;
  const name = MONTHS[Number(month) - 1] ?? '';
  return (
    String(Number(day)) +
    ' ' +
    name.charAt(0).toUpperCase() +
    name.slice(1) +
    (year === '-' ? '' : ' ' + year) +
    (time ? ', ' + time : '')
  );
}
