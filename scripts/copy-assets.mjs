// Copies non-TypeScript assets next to the compiled code (tsc emits only .js):
// SQL migrations, the offline engine's app scaffold and the sandbox's egress forwarder.
import { cpSync } from 'node:fs';

cpSync('src/db/migrations', 'dist/db/migrations', { recursive: true });
cpSync('src/ai/offline/scaffold', 'dist/ai/offline/scaffold', { recursive: true });
cpSync('src/sandbox/egress/forwarder.mjs', 'dist/sandbox/egress/forwarder.mjs');
// The web console's stylesheet and script.
cpSync('src/console/assets', 'dist/console/assets', { recursive: true });
