import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The app is fully static and offline: Monaco and its workers are bundled from npm.
export default defineConfig({
  plugins: [react()],
  base: './',
  worker: { format: 'es' },
  build: {
    outDir: 'dist',
    chunkSizeWarningLimit: 8000,
    target: 'es2022',
  },
  server: { host: '127.0.0.1' },
});
