// Copies non-TypeScript assets next to the compiled code (tsc emits only .js):
// SQL migrations, the offline engine's app scaffold and templates, and the sandbox's egress
// forwarder.
import { cpSync } from 'node:fs';

cpSync('src/db/migrations', 'dist/db/migrations', { recursive: true });
cpSync('src/ai/offline/scaffold', 'dist/ai/offline/scaffold', { recursive: true });
// The templates' tsconfig and type stand-ins (types/*.d.ts) serve the type checker only.
cpSync('src/ai/offline/templates', 'dist/ai/offline/templates', {
  recursive: true,
  filter: (source) => !source.endsWith('tsconfig.json') && !source.endsWith('.d.ts'),
});
cpSync('src/sandbox/egress/forwarder.mjs', 'dist/sandbox/egress/forwarder.mjs');
// The web console's stylesheet and script.
cpSync('src/console/assets', 'dist/console/assets', { recursive: true });
