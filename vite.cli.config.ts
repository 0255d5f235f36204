// Build of the `archive` command: one ESM file for plain Node; dependencies stay external (node_modules).
import { defineConfig } from 'vite';

export default defineConfig({
  build: {
    ssr: 'electron/cli/main.ts',
    outDir: 'out/cli',
    emptyOutDir: true,
    target: 'node20',
    rolldownOptions: {
      output: { entryFileNames: 'archive.mjs', banner: '#!/usr/bin/env node' },
    },
  },
});
