export {
  DEFAULT_BASE_URL,
  normaliseBaseUrl,
  OpenAiEngine,
  PLACEHOLDER_API_KEY,
  type OpenAiEngineOptions,
} from './openai-engine.js';
