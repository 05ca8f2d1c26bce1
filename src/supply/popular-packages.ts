/**
 * Names people (and models) often mean, and a check for names one edit away from them. A
 * typo-squatter registers `raect` or `lodahs` and waits; an exact popular name is trusted as
 * far as age and downloads go. The list is small on purpose: the packages generated web apps
 * use, plus the most downloaded ones on npm.
 */
export const POPULAR_PACKAGES: readonly string[] = [
  'react',
  'react-dom',
  'react-router',
  'react-router-dom',
  'react-test-renderer',
  'react-hook-form',
  'react-icons',
  'react-query',
  'react-redux',
  'react-helmet-async',
  '@tanstack/react-query',
  '@testing-library/react',
  '@testing-library/dom',
  '@testing-library/jest-dom',
  '@hello-pangea/dnd',
  '@types/react',
  '@types/react-dom',
  '@types/node',
  '@vitejs/plugin-react',
  '@vitejs/plugin-vue',
  '@sveltejs/kit',
  '@sveltejs/vite-plugin-svelte',
  'next',
  'nuxt',
  'preact',
  'vue',
  'vue-router',
  'vuex',
  'svelte',
  'vite',
  'vitest',
  'typescript',
  'tailwindcss',
  'postcss',
  'autoprefixer',
  'eslint',
  'prettier',
  'jest',
  'webpack',
  'esbuild',
  'lodash',
  'lodash-es',
  'underscore',
  'axios',
  'express',
  'moment',
  'dayjs',
  'date-fns',
  'uuid',
  'zod',
  'yup',
  'redux',
  'zustand',
  'jotai',
  'clsx',
  'classnames',
  'chalk',
  'commander',
  'debug',
  'dotenv',
  'framer-motion',
  'lucide-react',
  'recharts',
  'chart.js',
  'three',
  'd3',
  'immer',
  'rxjs',
  'tslib',
  'semver',
  'glob',
  'minimist',
  'yargs',
  'request',
  'colors',
  'color',
  'cross-env',
  'nanoid',
  'sass',
  'styled-components',
  '@emotion/react',
  '@emotion/styled',
  '@mui/material',
  'bootstrap',
  'jquery',
  'socket.io',
  'socket.io-client',
  'marked',
  'highlight.js',
];

const POPULAR = new Set(POPULAR_PACKAGES);

export function isPopular(name: string): boolean {
  return POPULAR.has(name);
}

/** The popular name one edit away from `name`, if any (and `name` is not popular itself). */
export function nearPopularName(name: string): string | undefined {
  if (POPULAR.has(name)) return undefined;
  return POPULAR_PACKAGES.find((p) => editDistanceAtMostOne(name, p));
}

/**
 * Whether the Damerau-Levenshtein distance (insert, delete, substitute, swap two neighbours)
 * between two different strings is exactly one. Linear: only one edit is ever looked for.
 */
export function editDistanceAtMostOne(a: string, b: string): boolean {
  if (a === b || Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i += 1;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true; // one substitution
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  const [short, long] = a.length < b.length ? [a, b] : [b, a];
  return short.slice(i) === long.slice(i + 1);
}
