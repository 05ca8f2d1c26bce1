/** Event page: date, venue and details, a schedule timeline and an RSVP form with confirmation. */
import { eventType } from '../content/event-data.js';
import type { KindPart, RenderContext } from '../render/context.js';
import { itemId } from '../render/context.js';
import { template, typeDeclarations } from '../templates.js';

export function renderEvent(ctx: RenderContext): KindPart {
  const { spec } = ctx;
  const type = eventType(spec.topic);
  const date = spec.place.date || type.date;
  const time = spec.place.time || type.time;
  const venue = spec.place.venue
    ? spec.place.venue + (spec.place.city ? ', ' + spec.place.city : '')
    : type.venue + (spec.place.city ? ', ' + spec.place.city : '');
  const schedule =
    spec.items.length >= 2
      ? spec.items.map(
          (title, index) =>
            [type.schedule[index % type.schedule.length]?.[0] ?? '', title, ''] as const,
        )
      : type.schedule;
  const details: [string, string, string][] = [
    ['📅', 'Date', date],
    ['⏰', 'Starts', time],
    ['📍', 'Venue', venue],
    ['👗', 'Dress code', type.dress],
  ];
  return {
    components: [
      { name: 'EventDetails', source: template('event/components/EventDetails.tsx') },
      { name: 'Schedule', source: template('event/components/Schedule.tsx') },
      { name: 'Rsvp', source: template('event/components/Rsvp.tsx') },
    ],
    files: [],
    types: typeDeclarations('event'),
    data: [
      {
        name: 'event',
        type: 'EventData',
        value: {
          date,
          time,
          venue,
          scheduleIntro: 'The plan for the day. Times may shift a little, but the fun will not.',
          rsvpIntro: type.rsvpIntro,
          details: details.map(([icon, label, value], index) => ({
            id: itemId('detail', index, label),
            icon,
            label,
            value,
          })),
          schedule: schedule.map(([slot, title, detail], index) => ({
            id: itemId('slot', index),
            time: slot,
            title,
            detail,
          })),
        },
      },
    ],
    css: template('event/event.css'),
    nav: [
      { label: 'Details', href: '#details' },
      { label: 'Schedule', href: '#schedule' },
      { label: 'RSVP', href: '#rsvp' },
    ],
    hero: {
      compact: false,
      eyebrow: type.label + ' · ' + date,
      highlights: [
        '📅 ' + date,
        '⏰ ' + time,
        '📍 ' + (spec.place.city || venue.split(',')[0] || venue),
      ],
      cta: { label: 'RSVP now', href: '#rsvp' },
      secondary: { label: 'See the schedule', href: '#schedule' },
    },
  };
}
