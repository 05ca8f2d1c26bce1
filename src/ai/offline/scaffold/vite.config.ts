import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Relative base: the same build works at a preview host's root and under /preview/<id>/.
export default defineConfig({
  plugins: [react()],
  base: './',
});
