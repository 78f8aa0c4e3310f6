import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The web client lives in src/web and is built to dist/web, which the server serves at /.
// `npm run dev:web` serves it with hot reload and proxies the API and Socket.IO to a running
// server on DEV_API_URL (default :8080).
const apiTarget = process.env.DEV_API_URL ?? 'http://localhost:8080';

// Exact routes, as regular expressions: a bare prefix such as '/me' would also send Vite's own
// module requests (a file under src/web named "messages…", say) to the server.
const apiRoutes = [
  '^/(me|login|logout|links|randomname|stream|healthz|readyz)(\\?.*)?$',
  '^/(users|rooms|room)([/?].*)?$',
];

export default defineConfig({
  root: 'src/web',
  plugins: [react()],
  build: {
    outDir: '../../dist/web',
    emptyOutDir: true,
    rolldownOptions: {
      output: {
        // The libraries every page loads change far less often than the app: in chunks of their
        // own, a browser keeps them cached across deploys. Only eagerly loaded libraries are
        // named here; what a lazily loaded part of the app uses stays in that part's chunk.
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
            { name: 'zod', test: /node_modules[\\/]zod[\\/]/ },
            { name: 'socket-io', test: /node_modules[\\/](socket\.io-|engine\.io-)/ },
          ],
        },
      },
    },
  },
  server: {
    proxy: {
      ...Object.fromEntries(apiRoutes.map((route) => [route, { target: apiTarget }])),
      '/socket.io': { target: apiTarget, ws: true },
    },
  },
});
