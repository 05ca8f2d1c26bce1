/**
 * Features a prompt may ask for, and which kinds of offline app implement each. A feature no
 * kind implements stays listed here so that asking for it is reported as unmet, never ignored.
 * Patterns run on the normalised prompt (lower case, "to-do" → "todo").
 */
import type { FeatureId } from './components/index.js';
import type { AppKind, Ask } from './types.js';

export interface FeatureRule {
  label: string;
  pattern: RegExp;
  /** Not this feature when this also matches (e.g. "sign up for the newsletter" is a section). */
  unless?: RegExp;
  kinds: readonly AppKind[];
  /** How an implementing kind honours it. */
  how: string;
  /** Where the page shows it when honoured. */
  shows: Ask['shows'];
  /** The library component that honours it in kinds that do not implement it themselves. */
  component?: FeatureId;
}

const NONE: readonly AppKind[] = [];

export const FEATURE_RULES: readonly FeatureRule[] = [
  {
    label: 'countdown',
    component: 'countdown',
    pattern: /\bcount ?-?downs?\b/,
    kinds: NONE,
    how: '',
    shows: null,
  },
  {
    label: 'RSVP list that keeps every reply',
    component: 'rsvp',
    pattern: /\b(rsvp|guest) ?lists?\b|\blist of (guests|rsvps|attendees)\b/,
    kinds: NONE,
    how: '',
    shows: null,
  },
  {
    label: 'RSVP form',
    pattern: /\brsvps?\b(?! ?lists?)/,
    kinds: ['event'],
    how: 'An RSVP form with attendance and the number of guests.',
    shows: { selector: '#rsvp form' },
  },
  {
    label: 'priority per task',
    component: 'priorities',
    pattern: /\bpriorit(y|ies|i[sz]e[ds]?)\b/,
    kinds: ['todo'],
    how: 'Each task has a priority (high, medium, low) to choose and filter by.',
    shows: { text: 'High priority' },
  },
  {
    label: 'chart',
    component: 'chart',
    pattern: /\b(charts?|graphs?)\b/,
    kinds: ['dashboard'],
    how: 'An SVG chart of the last 12 months.',
    shows: { selector: '#trends svg' },
  },
  {
    label: 'search',
    pattern: /\bsearch(able)?\b/,
    kinds: ['catalog'],
    how: 'A search box over the products.',
    shows: { selector: 'input[type="search"]' },
  },
  {
    label: 'filter',
    pattern: /\bfilter(s|ing|able)?\b/,
    kinds: ['catalog', 'portfolio', 'blog', 'todo', 'menu'],
    how: 'Filter buttons above the list.',
    shows: { selector: '.filters' },
  },
  {
    label: 'sorting',
    pattern: /\bsort(ing|able|ed)?\b/,
    kinds: ['catalog'],
    how: 'A sort order for the products.',
    shows: { selector: 'select' },
  },
  {
    label: 'shopping bag',
    pattern: /\b(shopping )?(cart|basket)s?\b/,
    kinds: ['catalog'],
    how: 'A bag that products can be added to.',
    shows: { selector: '#products' },
  },
  {
    label: 'schedule',
    pattern: /\b(schedule|agenda|timetable|programme|line-?up)\b/,
    kinds: ['event'],
    how: 'A schedule of the day.',
    shows: { selector: '#schedule' },
  },
  {
    label: 'checkout or payments',
    pattern: /\b(checkout|payments?|pay online|stripe|paypal)\b/,
    kinds: NONE,
    how: '',
    shows: null,
  },
  {
    label: 'sign-in or user accounts',
    pattern:
      /\b(log ?-?ins?|sign ?-?in|user accounts?|members? area|authentication|user profiles?)\b/,
    kinds: NONE,
    how: '',
    shows: null,
  },
  {
    label: 'booking or reservations',
    pattern:
      /\b(online booking|booking system|book (a|an) (table|appointment|class|session)|reservations?|appointments?)\b/,
    kinds: NONE,
    how: '',
    shows: null,
  },
  {
    label: 'map',
    component: 'map',
    pattern: /\b(maps?|directions)\b/,
    kinds: NONE,
    how: '',
    shows: null,
  },
  {
    label: 'lightbox',
    component: 'gallery',
    pattern: /\blightbox\b/,
    kinds: NONE,
    how: '',
    shows: null,
  },
  {
    label: 'comments',
    pattern: /\bcomments?\b/,
    kinds: NONE,
    how: '',
    shows: null,
  },
  {
    label: 'calendar',
    pattern: /\bcalendars?\b/,
    kinds: NONE,
    how: '',
    shows: null,
  },
  {
    label: 'due dates',
    pattern: /\bdue dates?\b|\bdeadlines?\b/,
    kinds: NONE,
    how: '',
    shows: null,
  },
  {
    label: 'drag and drop',
    pattern: /\bdrag(-| and | ?& ?)drop\b/,
    kinds: NONE,
    how: '',
    shows: null,
  },
  {
    label: 'file upload',
    pattern: /\buploads?\b/,
    kinds: NONE,
    how: '',
    shows: null,
  },
  {
    label: 'chat',
    pattern: /\b(live chat|chat ?bot|chat|messaging)\b/,
    kinds: NONE,
    how: '',
    shows: null,
  },
  {
    label: 'notifications or reminders',
    pattern: /\b(notifications?|email reminders?|push reminders?|send (me )?reminders?)\b/,
    kinds: NONE,
    how: '',
    shows: null,
  },
  {
    label: 'export',
    pattern: /\bexport(s|ing)?\b|\bdownload (as|to) (csv|pdf|excel)\b/,
    kinds: NONE,
    how: '',
    shows: null,
  },
  {
    label: 'theme switch',
    pattern: /\b(dark mode|theme|light mode) (toggle|switch(er)?)\b/,
    kinds: NONE,
    how: '',
    shows: null,
  },
  {
    label: 'several languages',
    pattern:
      /\b(multi-?lingual|translations?|language (switch(er)?|picker|selector)|in (two|several|multiple) languages)\b/,
    kinds: NONE,
    how: '',
    shows: null,
  },
  {
    label: 'live data or a backend',
    pattern:
      /\b(real-?time|live ?-?stream(ing)?|live (data|updates|prices)|database|backend|api integration|sync(ed|s)? across)\b/,
    kinds: NONE,
    how: '',
    shows: null,
  },
];
