# The chat server with its built web client. `docker compose up` (compose.yaml) runs it next to
# a Redis; alone it needs REDIS_URL (see .env.example for every variable).

ARG NODE_VERSION=24

# --- build: every dependency, then the server (tsc) and the web client (Vite) into dist/ -------
FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.server.json vite.config.ts ./
COPY scripts/build.mjs scripts/
COPY src src
RUN npm run build

# --- runtime: production dependencies and dist/ only, as the unprivileged node user -----------
FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist dist
USER node
EXPOSE 8080
# Liveness only: /readyz (Redis answers) is for a load balancer, not for restarting the chat.
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node itself is the container's main process, so `docker stop`'s SIGTERM reaches the server's
# handlers (clients handed over, users taken offline) rather than a shell or npm.
CMD ["node", "dist/server/main.js"]
