/**
 * The shared section components of a generated app: fixed files under templates/sections/.
 * Every piece of text comes from src/data.ts at runtime, so nothing from a prompt is ever
 * spliced into code.
 */
import { template } from '../templates.js';
import type { SectionId } from '../types.js';

interface SectionSource {
  component: string;
  readonly source: string;
  /** Files of the component library it imports, written beside it in src/components/. */
  helpers: readonly string[];
}

/** The file is read when a render first needs it, not when this module loads. */
function section(component: string, helpers: readonly string[] = []): SectionSource {
  return {
    component,
    helpers,
    get source() {
      return template('sections/components/' + component + '.tsx');
    },
  };
}

/** Component name and source per section; each lives in src/components/<Name>.tsx. */
export const SECTION_SOURCES: Readonly<Record<SectionId, SectionSource>> = {
  features: section('Features'),
  services: section('Services'),
  about: section('About'),
  gallery: section('Gallery'),
  team: section('Team'),
  pricing: section('Pricing'),
  testimonials: section('Testimonials'),
  faq: section('Faq'),
  // No server behind a generated site: these two write an email the visitor sends.
  newsletter: section('Newsletter', ['mailto.ts']),
  contact: section('Contact', ['mailto.ts']),
};
