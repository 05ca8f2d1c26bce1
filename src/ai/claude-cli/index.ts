export { ClaudeCliEngine, type ClaudeCliEngineOptions } from './claude-cli-engine.js';
export {
  StreamParser,
  parseTranscript,
  type StreamEvent,
  type StreamSummary,
  type StreamUsage,
} from './stream-parser.js';
