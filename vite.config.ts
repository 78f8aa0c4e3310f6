import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The web client lives in src/web and is built to dist/web, which the server serves at /.
// `npm run dev:web` proxies the API and Socket.IO to a server on DEV_API_URL (default :8080).
const apiTarget = process.env.DEV_API_URL ?? 'http://localhost:8080';
const apiPaths = [
  '/me',
  '/login',
  '/logout',
  '/users',
  '/rooms',
  '/room',
  '/links',
  '/randomname',
  '/stream',
];

export default defineConfig({
  root: 'src/web',
  plugins: [react()],
  build: { outDir: '../../dist/web', emptyOutDir: true },
  server: {
    proxy: {
      ...Object.fromEntries(apiPaths.map((path) => [path, apiTarget])),
      '/socket.io': { target: apiTarget, ws: true },
    },
  },
});
