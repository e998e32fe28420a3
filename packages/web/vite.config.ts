import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * The workstation is built to `dist/` and served by `keyhole serve` (server/src/plugins/web-app.ts)
 * on the same origin as the API, so the session cookie reaches DICOMweb without CORS. `npm run dev`
 * proxies the API to a server on :8080.
 *
 * cornerstone3D under Vite: the DICOM image loader starts its decode worker with
 * `new Worker(new URL(..., import.meta.url), { type: 'module' })` and its codecs fetch WebAssembly
 * the same way, so workers are built as ES modules and the loader is kept out of dependency
 * pre-bundling (which would break those relative URLs); dicom-parser is CommonJS and is pre-bundled.
 */
export default defineConfig({
  plugins: [react()],
  worker: { format: 'es' },
  optimizeDeps: { exclude: ['@cornerstonejs/dicom-image-loader'], include: ['dicom-parser'] },
  build: { target: 'es2022', chunkSizeWarningLimit: 4000, sourcemap: false },
  server: {
    proxy: Object.fromEntries(['/api', '/dicom-web', '/wado', '/docs', '/healthz', '/setup'].map((path) => [path, 'http://127.0.0.1:8080'])),
  },
});
