import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

// The admin console: built by `npm run build` into dist/admin, which the API serves at /admin/.
// Relative asset URLs, so it works under a path prefix; everything is bundled, nothing is
// fetched from elsewhere at run time. The build script sets NODE_ENV=production: under another
// NODE_ENV (vitest's `test`, when a test packs the project) Vite would bundle Preact's development
// build, with this machine's source paths in it.
export default defineConfig({
  base: './',
  plugins: [preact()],
  build: {
    outDir: '../dist/admin',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    reportCompressedSize: false,
  },
});
