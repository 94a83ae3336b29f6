// The console is plain JSX on Preact, compiled by esbuild (no framework plugin to download).
// `vite build --outDir <dir>` is what web/build.sh runs for the Maven build; `npm run dev` proxies
// /api to a local API (LBX_API, default http://127.0.0.1:8080) for work on the UI itself.
import { defineConfig } from 'vite';

export default defineConfig({
  base: './',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 1200 },
  server: {
    proxy: { '/api': { target: process.env.LBX_API || 'http://127.0.0.1:8080', ws: true, changeOrigin: false } },
  },
});
