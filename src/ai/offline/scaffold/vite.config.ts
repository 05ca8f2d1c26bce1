import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
  // Relative base: the same build works at a preview host's root and under /preview/<id>/.
  base: './',
  build: {
    rolldownOptions: {
      output: {
        // React in a chunk of its own: the same bytes in every version of the app, so
        // visitors keep it cached across updates.
        codeSplitting: { groups: [{ name: 'vendor', test: /node_modules/ }] },
      },
    },
  },
});
