export { AnthropicEngine, type AnthropicEngineOptions } from './anthropic-engine.js';
