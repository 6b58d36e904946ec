import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

/** Where `npm run dev` sends API calls: the API started by `npm start` unless told otherwise. */
const API_URL = process.env.API_URL ?? 'http://127.0.0.1:3001';

export default defineConfig({
  // The API serves the built files under /dashboard/, so every asset URL starts there.
  base: '/dashboard/',
  plugins: [preact()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 400 },
  server: {
    proxy: Object.fromEntries(['/tasks', '/schedules', '/monitor'].map((path) => [path, API_URL])),
  },
});
