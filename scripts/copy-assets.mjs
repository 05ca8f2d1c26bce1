// Copies non-TypeScript assets next to the compiled code (tsc emits only .js):
// SQL migrations and the offline engine's app scaffold.
import { cpSync } from 'node:fs';

cpSync('src/db/migrations', 'dist/db/migrations', { recursive: true });
cpSync('src/ai/offline/scaffold', 'dist/ai/offline/scaffold', { recursive: true });
