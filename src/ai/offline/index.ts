/** The offline AI engine: deterministic React + Vite + TypeScript apps from a prompt, no network. */
export { OfflineEngine, loadScaffold, SCAFFOLD_FILES } from './engine.js';
export { analyzePrompt, detectKind, type AnalyzeOptions } from './analyze.js';
export { renderApp } from './render/app.js';
export { parseUpdate, applyUpdate, type UpdateRequest } from './update.js';
export {
  APP_KINDS,
  SECTION_IDS,
  SPEC_PATH,
  parseSpec,
  type AppKind,
  type AppSpec,
  type SectionId,
} from './types.js';
