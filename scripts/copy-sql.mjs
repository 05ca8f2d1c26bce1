// Copies SQL migrations next to the compiled migration runner (tsc copies only .ts output).
import { cpSync } from 'node:fs';

cpSync('src/db/migrations', 'dist/db/migrations', { recursive: true });
