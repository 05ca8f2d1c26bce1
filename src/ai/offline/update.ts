/**
 * Edits to an existing offline-generated app: what an update prompt asks for (a new name, a
 * colour or theme, a tagline, sections or library blocks to add or remove) and applying that to
 * the stored spec.
 */
import { z } from 'zod';
import { normalize } from './analyze.js';
import { BlockSchema, FEATURE_IDS, type FeatureId } from './components/index.js';
import { extractColors, extractNameFacts, tidyName } from './extract.js';
import { FEATURE_RULES } from './feature-rules.js';
import { clean, titleCase } from './text.js';
import { SECTION_IDS, type AppSpec, type SectionId } from './types.js';
import { SECTION_RULES } from './vocab.js';

export const UpdateRequestSchema = z.object({
  name: z.string().min(1).max(80).nullable(),
  tagline: z.string().min(1).max(200).nullable(),
  primary: z
    .string()
    .regex(/^#[0-9a-f]{6}$/)
    .nullable(),
  accent: z
    .string()
    .regex(/^#[0-9a-f]{6}$/)
    .nullable(),
  dark: z.boolean().nullable(),
  add: z.array(z.enum(SECTION_IDS)),
  remove: z.array(z.enum(SECTION_IDS)),
  // Defaults: plans stored before updates could add library blocks have neither field.
  addBlocks: z.array(z.enum(FEATURE_IDS)).default([]),
  removeBlocks: z.array(z.enum(FEATURE_IDS)).default([]),
});

export type UpdateRequest = z.infer<typeof UpdateRequestSchema>;

const QUOTED = /^\s*["“'`«]([^"”'`»\n]{1,80})["”'`»]/;
const END = /[.,;!?\n]|\s+(?:and|with|but|then|also|plus)\s/i;

function nameFrom(rest: string): string | null {
  const quoted = QUOTED.exec(rest);
  let name = quoted?.[1] ?? rest.slice(0, END.exec(rest)?.index ?? rest.length);
  name = tidyName(name);
  if (!name) return null;
  return name === name.toLowerCase() ? titleCase(name) : name;
}

const RENAME = [
  /\bre-?name\s+(?:it|this|the\s+\w+)?\s*(?:to|as|into)\s+(.+)/i,
  /\b(?:change|set|update|switch|make)\s+(?:the\s+)?(?:\w+\s+)?(?:name|title)\s+(?:to|as|into)\s+(.+)/i,
  /\b(?:call|name)\s+(?:it|this|the\s+\w+)\s+(.+)/i,
  /\b(?:name|title)\s+(?:should be|is now|becomes|:)\s*(.+)/i,
];

const TAGLINE =
  /\b(?:change|set|update|make)\s+(?:the\s+)?(?:tagline|slogan|headline|subtitle)\s+(?:to|as|into)\s+(.+)/i;

const REMOVE_VERB =
  /\b(remove|delete|drop|hide|get rid of|take out|without|no longer|no more|lose)\b/g;
const ADD_VERB = /\b(add|include|insert|put|create|show|want|need|with|also|plus|bring back)\b/g;

function lastIndex(pattern: RegExp, text: string): number {
  let last = -1;
  for (const match of text.matchAll(pattern)) last = match.index;
  return last;
}

/** True when the clause before `index` ends with a verb that removes ("drop the FAQ"). */
function removes(text: string, index: number): boolean {
  const before = text.slice(Math.max(0, index - 40), index);
  const clause = before.slice(Math.max(before.lastIndexOf('.'), before.lastIndexOf(';')) + 1);
  return lastIndex(REMOVE_VERB, clause) > lastIndex(ADD_VERB, clause);
}

/**
 * Sections an update asks to add or remove. A bare mention counts as "add". Words in `skip`
 * ("remove the map") name a block being removed, not the section that also matches them.
 */
function sectionEdits(
  text: string,
  skip: readonly [number, number][],
): { add: SectionId[]; remove: SectionId[] } {
  const add = new Set<SectionId>();
  const remove = new Set<SectionId>();
  for (const id of SECTION_IDS) {
    for (const rule of SECTION_RULES[id]) {
      for (const match of text.matchAll(new RegExp(rule.source, 'g'))) {
        if (skip.some(([start, end]) => match.index >= start && match.index < end)) continue;
        (removes(text, match.index) ? remove : add).add(id);
      }
    }
  }
  for (const id of remove) add.delete(id);
  return {
    add: SECTION_IDS.filter((id) => add.has(id)),
    remove: SECTION_IDS.filter((id) => remove.has(id)),
  };
}

/**
 * Library blocks an update asks to add or remove: the features whose rule names a component
 * (a countdown, a map…), found the way a create finds them (see blocksFor in ./analyze.ts).
 * `removed` holds where the text names a block to remove.
 */
function blockEdits(text: string): {
  add: FeatureId[];
  remove: FeatureId[];
  removed: [number, number][];
} {
  const add = new Set<FeatureId>();
  const remove = new Set<FeatureId>();
  const removed: [number, number][] = [];
  for (const rule of FEATURE_RULES) {
    if (!rule.component || rule.unless?.test(text)) continue;
    for (const match of text.matchAll(new RegExp(rule.pattern.source, 'g'))) {
      if (!removes(text, match.index)) add.add(rule.component);
      else {
        remove.add(rule.component);
        removed.push([match.index, match.index + match[0].length]);
      }
    }
  }
  for (const id of remove) add.delete(id);
  return {
    add: FEATURE_IDS.filter((id) => add.has(id)),
    remove: FEATURE_IDS.filter((id) => remove.has(id)),
    removed,
  };
}

export function parseUpdate(prompt: string): UpdateRequest {
  let name: string | null = null;
  for (const pattern of RENAME) {
    const match = pattern.exec(prompt);
    if (match?.[1]) {
      name = nameFrom(match[1]);
      if (name) break;
    }
  }
  const facts = extractNameFacts(prompt);
  if (!name && /\b(called|named|titled)\b/i.test(prompt)) name = facts.name;
  const taglineMatch = TAGLINE.exec(prompt);
  const tagline =
    facts.tagline ??
    (taglineMatch?.[1]
      ? clean(QUOTED.exec(taglineMatch[1])?.[1] ?? taglineMatch[1].split(/[\n.!?]/)[0] ?? '')
      : null);
  const colors = extractColors(prompt, [name ?? '', tagline ?? '', ...facts.spans]);
  let stripped = prompt;
  for (const span of [name, tagline]) {
    if (span) stripped = stripped.split(span).join(' ');
  }
  const text = normalize(stripped);
  let dark = colors.dark;
  if (/\b(make|turn|switch) it (to )?dark\b/.test(text)) dark = true;
  if (/\b(make|turn|switch) it (to )?(light|bright)\b/.test(text)) dark = false;
  if (dark === null && /\b(light|bright|white) (mode|theme|background|version)\b/.test(text))
    dark = false;
  const blocks = blockEdits(text);
  const edits = sectionEdits(text, blocks.removed);
  return {
    name,
    tagline: tagline ? tagline.slice(0, 200) : null,
    primary: colors.primary,
    accent: colors.accent,
    dark,
    add: edits.add,
    remove: edits.remove,
    addBlocks: blocks.add,
    removeBlocks: blocks.remove,
  };
}

/** True when the request asks for nothing the offline engine understands. */
export function isEmptyUpdate(request: UpdateRequest): boolean {
  return (
    !request.name &&
    !request.tagline &&
    !request.primary &&
    !request.accent &&
    request.dark === null &&
    request.add.length === 0 &&
    request.remove.length === 0 &&
    request.addBlocks.length === 0 &&
    request.removeBlocks.length === 0
  );
}

const LABELS: Readonly<Record<SectionId, string>> = {
  features: 'Features',
  services: 'Services',
  about: 'About',
  gallery: 'Gallery',
  team: 'Team',
  pricing: 'Pricing',
  testimonials: 'Testimonials',
  faq: 'FAQ',
  newsletter: 'Newsletter',
  contact: 'Contact',
};

export function sectionNames(ids: readonly SectionId[]): string {
  return ids.map((id) => LABELS[id]).join(', ');
}

/** The spec with the request applied, and a human line per change actually made. */
export function applyUpdate(
  spec: AppSpec,
  request: UpdateRequest,
): { spec: AppSpec; changes: string[] } {
  const changes: string[] = [];
  const next: AppSpec = { ...spec, theme: { ...spec.theme }, sections: [...spec.sections] };
  if (request.name && request.name !== spec.name) {
    next.name = request.name;
    next.description = spec.description.split(spec.name).join(request.name);
    changes.push('Renamed the app to ' + JSON.stringify(request.name));
  }
  if (request.tagline && request.tagline !== spec.tagline) {
    next.tagline = request.tagline;
    changes.push('Changed the tagline');
  }
  if (request.primary && request.primary !== spec.theme.primary) {
    next.theme.primary = request.primary;
    changes.push('Primary colour set to ' + request.primary);
  }
  if (
    request.accent &&
    request.accent !== next.theme.primary &&
    request.accent !== spec.theme.accent
  ) {
    next.theme.accent = request.accent;
    changes.push('Accent colour set to ' + request.accent);
  }
  if (request.dark !== null && request.dark !== spec.theme.dark) {
    next.theme.dark = request.dark;
    changes.push(request.dark ? 'Switched to a dark theme' : 'Switched to a light theme');
  }
  const added = request.add.filter((id) => !spec.sections.includes(id));
  const removed = request.remove.filter((id) => spec.sections.includes(id));
  if (added.length > 0 || removed.length > 0) {
    const wanted = new Set([...spec.sections, ...added].filter((id) => !removed.includes(id)));
    next.sections = SECTION_IDS.filter((id) => wanted.has(id));
    if (added.length > 0) changes.push('Added ' + sectionNames(added));
    if (removed.length > 0) changes.push('Removed ' + sectionNames(removed));
  }
  changes.push(...applyBlocks(spec, next, request));
  return { spec: next, changes };
}

/** What a user calls a library block: its feature rule's label ("countdown", "map"). */
export function blockName(id: FeatureId): string {
  return FEATURE_RULES.find((rule) => rule.component === id)?.label ?? id;
}

/**
 * Adds and removes library blocks on `next`. A block is added only when the app has neither
 * the block nor a kind that implements the feature itself, so asking again changes nothing.
 */
function applyBlocks(spec: AppSpec, next: AppSpec, request: UpdateRequest): string[] {
  const current = spec.blocks ?? [];
  const has = (id: FeatureId) => current.some((block) => block.feature === id);
  const native = (id: FeatureId) =>
    FEATURE_RULES.some((rule) => rule.component === id && rule.kinds.includes(spec.kind));
  const added = request.addBlocks.filter((id) => !has(id) && !native(id));
  const removed = request.removeBlocks.filter(has);
  if (added.length === 0 && removed.length === 0) return [];
  const kept = current.filter((block) => !removed.includes(block.feature));
  const blocks = [...kept, ...added.map((feature) => BlockSchema.parse({ feature }))];
  // The spec holds at most 12 blocks; one more than that is not added.
  next.blocks = blocks.slice(0, 12);
  if (next.blocks.length === 0) delete next.blocks;
  return [
    ...added.slice(0, 12 - kept.length).map((id) => 'Added ' + blockName(id)),
    ...removed.map((id) => 'Removed ' + blockName(id)),
  ];
}
