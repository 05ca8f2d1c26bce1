/**
 * The asks of an update prompt. An offline update can rename the app, change the tagline, the
 * colours and the light or dark theme, add or remove sections, and add or remove the library
 * blocks that honour a feature (components/); any other feature, a date or a count asked for in
 * an update is listed as unmet instead of being dropped without a word.
 */
import { normalize } from './analyze.js';
import { colourMentions, extractNameFacts } from './extract.js';
import { extractPlace } from './extract-place.js';
import { FEATURE_RULES } from './feature-rules.js';
import type { Ask } from './types.js';
import { sectionNames, type UpdateRequest } from './update.js';

const CANNOT = 'An offline update cannot add this; this needs an AI engine.';

function done(kind: Ask['kind'], text: string, reason: string): Ask {
  return { kind, text, honoured: true, reason, shows: null };
}

function notDone(kind: Ask['kind'], text: string, reason = CANNOT): Ask {
  return { kind, text, honoured: false, reason, shows: null };
}

export function updateAsks(prompt: string, request: UpdateRequest): Ask[] {
  const asks: Ask[] = [];
  if (request.name) asks.push(done('entity', request.name, 'The app is renamed.'));
  if (request.tagline) asks.push(done('entity', request.tagline, 'The tagline is replaced.'));
  const wanted = [request.primary, request.accent];
  const spans = [request.name ?? '', request.tagline ?? '', ...extractNameFacts(prompt).spans];
  for (const mention of colourMentions(prompt, spans)) {
    if (wanted.includes(mention.hex)) asks.push(done('colour', mention.word, 'Theme colour set.'));
    else
      asks.push(
        notDone('colour', mention.word, 'A theme has two colours; this third one was not used.'),
      );
  }
  if (request.dark !== null)
    asks.push(done('colour', request.dark ? 'dark' : 'light', 'Theme set.'));
  for (const id of request.add) asks.push(done('section', sectionNames([id]), 'Section added.'));
  for (const id of request.remove)
    asks.push(done('section', sectionNames([id]), 'Section removed.'));
  const text = normalize(prompt);
  for (const rule of FEATURE_RULES) {
    const match = rule.pattern.exec(text);
    if (!match || rule.unless?.test(text)) continue;
    if (rule.component && request.removeBlocks.includes(rule.component))
      asks.push(done('feature', match[0], 'Removed: ' + rule.label + '.'));
    else if (rule.component && request.addBlocks.includes(rule.component))
      asks.push(done('feature', match[0], 'Added from the component library: ' + rule.label + '.'));
    else
      asks.push(
        notDone(
          'feature',
          match[0],
          'An offline update cannot add a ' + rule.label + '; this needs an AI engine.',
        ),
      );
  }
  const { date, time } = extractPlace(prompt, request.name);
  if (date) asks.push(notDone('date', date, 'An offline update cannot change dates.'));
  if (time) asks.push(notDone('date', time, 'An offline update cannot change times.'));
  return asks;
}
