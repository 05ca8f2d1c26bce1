/**
 * Where and when a prompt's event or business is, and the currency it prices in: a city or
 * venue, a date, a time. Pure and deterministic, like extract.ts.
 */
import { MONTHS, NOT_NAMES } from './extract.js';
import type { Currency } from './types.js';

export interface PlaceFacts {
  city: string;
  venue: string;
  date: string;
  time: string;
}

const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

export function extractPlace(prompt: string, name: string | null): PlaceFacts {
  const words = /([A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’&.-]*|of|the|and|&)){0,5})/.source;
  const cityMatch = new RegExp('\\b(?:in|based in|located in)\\s+' + words).exec(prompt);
  const venueMatch = new RegExp('\\bat\\s+(?:the\\s+)?' + words).exec(prompt);
  const trim = (value: string | undefined) =>
    (value ?? '').replace(/(\s+(of|the|and|&))+$/, '').replace(/[.,]+$/, '');
  let city = trim(cityMatch?.[1]);
  let venue = trim(venueMatch?.[1]);
  const bad = (value: string) =>
    MONTHS.test(value.split(' ')[0] ?? '') || NOT_NAMES.has(value.toLowerCase()) || value === name;
  if (bad(city)) city = '';
  if (bad(venue)) venue = '';
  return { city, venue, date: extractDate(prompt), time: extractTime(prompt) };
}

function monthName(token: string): string | null {
  const lower = token.toLowerCase().replace(/\.$/, '');
  return MONTH_NAMES.find((month) => month.toLowerCase().startsWith(lower.slice(0, 3))) ?? null;
}

function extractDate(prompt: string): string {
  const month =
    '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?';
  const dayFirst = new RegExp(
    '\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?' + month + '(?:,?\\s+(\\d{4}))?\\b',
    'i',
  );
  const monthFirst = new RegExp(
    '\\b' + month + '\\s+(\\d{1,2})(?:st|nd|rd|th)?\\b(?:,?\\s+(\\d{4}))?',
    'i',
  );
  const a = monthFirst.exec(prompt);
  const b = dayFirst.exec(prompt);
  const pick =
    a && (!b || a.index <= b.index)
      ? { m: a[1], d: a[2], y: a[3] }
      : b
        ? { m: b[2], d: b[1], y: b[3] }
        : null;
  if (!pick?.m || !pick.d) return '';
  const day = Number(pick.d);
  const name = monthName(pick.m);
  if (!name || day < 1 || day > 31) return '';
  return name + ' ' + day + (pick.y ? ', ' + pick.y : '');
}

function extractTime(prompt: string): string {
  const match = /\b(\d{1,2})(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)(?=\W|$)/i.exec(prompt);
  if (!match) return '';
  const hour = Number(match[1]);
  if (hour < 1 || hour > 12) return '';
  return (
    hour + ':' + (match[2] ?? '00') + ' ' + (match[3]!.toLowerCase().startsWith('a') ? 'am' : 'pm')
  );
}

export function extractCurrency(prompt: string): Currency {
  if (/€|\beur(os?)?\b/i.test(prompt)) return 'EUR';
  if (
    /£|\b(gbp|pounds? sterling|quid)\b|\b(London|UK|United Kingdom|England|Scotland)\b/i.test(
      prompt,
    )
  )
    return 'GBP';
  return 'USD';
}
