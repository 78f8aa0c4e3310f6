/**
 * Wiring: builds one chat server instance from its configuration — Redis clients, stores, domain
 * services, the HTTP routes and Socket.IO — and knows how to stop it cleanly. main.ts runs it as a
 * process; the tests run it in-process through the same function.
 */
import Fastify, { type FastifyBaseLogger } from 'fastify';
import type { Logger } from 'pino';
import { Server } from 'socket.io';
import { BODY_LIMIT_BYTES, PAGE_SIZE_MAX } from '../protocol/limits.js';
import type { Config } from './config.js';
import { ensureDemoData } from './demo-data.js';
import { HEARTBEAT_MS, createFeatureSet } from './feature-set.js';
import { createRetention } from './features/retention/index.js';
import { SeedInterop } from './interop/index.js';
import { DomainEvents } from './kernel/domain-events.js';
import { ErrorMapper } from './kernel/error-mapper.js';
import { collectApiDocs, serveApiDocs } from './kernel/http/api-docs.js';
import { OriginPolicy, refuseCrossSiteWrites } from './kernel/http/cross-site.js';
import { installErrorHandler, sendError } from './kernel/http/error-handler.js';
import { proxyTrust } from './kernel/http/forwarded.js';
import { metricsRoute, timeHttpRequests } from './kernel/http/metrics-route.js';
import { RequestLogs } from './kernel/http/request-logs.js';
import { useContract } from './kernel/http/routes.js';
import { registerSecurityHeaders } from './kernel/http/security-headers.js';
import { serveWebClient, wantsHtml } from './kernel/http/static-files.js';
import { systemRoutes } from './kernel/http/system-routes.js';
import { ChatMetrics } from './kernel/metrics/chat-metrics.js';
import { bcryptHasher } from './kernel/passwords.js';
import { PendingEvents, clientEventHandler } from './kernel/realtime/acks.js';
import { roomChannel, userChannel } from './kernel/realtime/channels.js';
import { FanOut } from './kernel/realtime/fan-out.js';
import { HandshakeChecks, refuseJsonp } from './kernel/realtime/handshake-checks.js';
import { type RealtimeParts, handOverConnections } from './kernel/realtime/hand-over.js';
import type { ChatServer } from './kernel/realtime/socket-types.js';
import { peersAnnounced, useRedisAdapter } from './kernel/realtime/redis-adapter.js';
import { recycleAfterSubscriptionGaps } from './kernel/realtime/subscription-gaps.js';
import { releaseUpgradeRequests } from './kernel/realtime/upgrade-requests.js';
import {
  coalesceWebSocketWrites,
  sendIntoCorkedSockets,
} from './kernel/realtime/write-coalescing.js';
import {
  type RedisClient,
  createRedisClient,
  duplicateRedisClient,
} from './kernel/redis/client.js';
import { createRedisCluster, isRedisCluster, pingEveryMaster } from './kernel/redis/cluster.js';
import { newServerId } from './kernel/server-id.js';
import { registerSessions } from './kernel/sessions/http-session.js';
import { LiveSessions } from './kernel/sessions/live-sessions.js';
import {
  ConnectionLeases,
  limitSocketConnections,
  tooManyConnections,
} from './kernel/sessions/connection-leases.js';
import { SessionEnding } from './kernel/sessions/session-ending.js';
import { RedisSessionStore, sharedSessionSecret } from './kernel/sessions/session-store.js';
import { sessionHandshakeCheck, socketAuthMiddleware } from './kernel/sessions/socket-session.js';
import { GENERAL_ROOM_ID } from '../protocol/models.js';

const READINESS_PING_TIMEOUT_MS = 1_000;

export interface RunningChatServer {
  /** The port actually listened on (useful with PORT=0). */
  port: number;
  url: string;
  serverId: string;
  /** Every route the HTTP server registered (HEAD twins included), to compare with the table. */
  routes: readonly RegisteredRoute[];
  close(): Promise<void>;
}

export interface RegisteredRoute {
  method: string;
  url: string;
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    work,
    new Promise<T>((_, fail) =>
      setTimeout(() => fail(new Error(`timed out after ${ms} ms`)), ms).unref(),
    ),
  ]);
}

export async function startChatServer(
  config: Config,
  logger: Logger,
  redisUrl: string,
): Promise<RunningChatServer> {
  const serverId = newServerId();
  const log = logger.child({ serverId });

  const metrics = new ChatMetrics();

  // --- Redis -----------------------------------------------------------------------------------
  const clusterNodes = config.redis.clusterNodes;
  const redis: RedisClient = clusterNodes
    ? createRedisCluster(clusterNodes, log, 'commands', metrics)
    : createRedisClient(redisUrl, log, 'commands', metrics, config.redisCommandTimeoutMs);
  await redis.connect();
  const adapterSubscriber = duplicateRedisClient(redis, log, 'adapter-subscriber', metrics);
  await adapterSubscriber.connect();
  const sessionsSubscriber = duplicateRedisClient(redis, log, 'sessions-subscriber', metrics);
  await sessionsSubscriber.connect();
  const errors = new ErrorMapper(() => !redis.isReady, metrics);
  const events = new DomainEvents();

  const passwords = bcryptHasher(config.bcryptConcurrency);
  const sessionEnding = new SessionEnding(redis);

  // --- HTTP ------------------------------------------------------------------------------------
  const trust = proxyTrust(config.trustProxy);
  const origins = new OriginPolicy(config.allowedOrigins, trust);
  const app = Fastify({
    // Per-request lines only when debugging; errors are logged at any level.
    loggerInstance: (['debug', 'trace'].includes(config.logLevel)
      ? log
      : log.child({}, { level: 'warn' })) as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: trust,
    forceCloseConnections: true,
    // One line per request, at its end, with the request id and the user id.
    logController: new RequestLogs(),
  });
  // Every route comes from the route table: validated, serialized and documented from it.
  useContract(app);
  const registered: RegisteredRoute[] = [];
  app.addHook('onRoute', ({ method, url }) => {
    for (const one of [method].flat()) registered.push({ method: one, url });
  });
  await collectApiDocs(app);
  timeHttpRequests(app, metrics);
  // Before the session is loaded: a cross-site write costs no Redis round trip.
  refuseCrossSiteWrites(app, origins);
  const liveSessions = new LiveSessions(redis, sessionsSubscriber, log);
  await liveSessions.start();
  const maxConnections = config.userLimits.maxConnectionsPerUser;
  // A lease lapses after the time that marks a silent instance dead: a crash frees its slots.
  const connectionLeases = new ConnectionLeases(
    redis,
    serverId,
    {
      maxPerUser: maxConnections,
      renewEveryMs: HEARTBEAT_MS,
      leaseMs: config.instanceTimeoutS * 1000,
    },
    log,
  );
  connectionLeases.start();
  if (config.sessionSecret === null) {
    log.warn(
      'SESSION_SECRET is not set: session cookies are signed with a secret generated and kept ' +
        'in Redis, so whoever can read this Redis can forge any session; set SESSION_SECRET',
    );
  }
  await registerSessions(app, {
    secret: config.sessionSecret ?? (await sharedSessionSecret(redis)),
    store: new RedisSessionStore(redis, config.sessionTtlS, sessionEnding),
    ttlS: config.sessionTtlS,
    secure: config.cookieSecure,
  });
  installErrorHandler(app, errors);

  // --- Socket.IO -------------------------------------------------------------------------------
  const io: ChatServer = new Server(app.server, {
    serveClient: false,
    // The seed's client is built on socket.io-client 2, which speaks Engine.IO 3.
    allowEIO3: true,
    maxHttpBufferSize: BODY_LIMIT_BYTES,
  });
  await registerSecurityHeaders(app, io);
  // After the security headers' middleware, which writes on the upgrade's response.
  releaseUpgradeRequests(io);
  // Refused before Engine.IO opens a connection.
  const handshakeChecks = new HandshakeChecks()
    .add(refuseJsonp)
    .add((request) => origins.refusal(request))
    // Last: the checks above cost no Redis round trip.
    .add(sessionHandshakeCheck(app));
  handshakeChecks.install(io);
  // Frames a busy socket gets within a few ms leave in one write: see write-coalescing.ts.
  coalesceWebSocketWrites(app.server, io.path());
  // ... and Engine.IO hands over what comes after the first frame without waiting for that write.
  sendIntoCorkedSockets(io.engine);
  await useRedisAdapter(io, redis, adapterSubscriber);
  // After io.adapter(): the batcher's mirror channels live in the adapter.
  const fanOut = new FanOut(io, () => redis.ping(), metrics, {
    presenceBatchMs: config.presenceBatchMs,
    messageBatchMs: config.messageBatchMs,
  });
  metrics.countSocketsWith(() => io.of('/').sockets.size);

  const pending = new PendingEvents();
  const handle = clientEventHandler(pending, errors, log);

  // --- features --------------------------------------------------------------------------------
  // The demo's bridge reads stored messages through the messages feature, made just after it.
  const interop = new SeedInterop({
    enabled: config.seedBridge,
    serverId,
    redis,
    fanOut,
    events,
    log,
    readStored: (roomId, fromScore) =>
      features.messages.readFromScore(roomId, fromScore, PAGE_SIZE_MAX),
  });
  await interop.connect();
  const features = createFeatureSet({
    config,
    redis,
    serverId,
    fanOut,
    events,
    handle,
    metrics,
    passwords,
    sessionEnding,
    log,
    publishWithMessage: interop.publishWithMessage,
  });
  const {
    auth,
    moderation,
    presence,
    rooms,
    messages,
    reads,
    search,
    threads,
    mutes,
    reactions,
    files,
  } = features;
  await auth.prepare();
  await rooms.prepare();
  // Trims old messages when RETENTION_* says so: one instance at a time, under a lock.
  const retention = createRetention({
    redis,
    messages,
    policy: config.retention,
    intervalMs: config.retention.intervalMs,
    counter: metrics,
    log,
  });
  if (config.demoData && (await ensureDemoData(redis, auth.users, passwords))) {
    log.info('wrote the demo data (users Pablo, Joe, Mary, Alex; password password123)');
  }

  const realtime: RealtimeParts = {
    io,
    pending,
    presence: presence.tracker,
    flush: async () => {
      fanOut.flushMessages(); // pending batches reach every socket, ours included
      // Emits reach local sockets after their PUBLISH returns: a PING behind them on the same
      // connection returns after all of them.
      await redis.ping().catch(() => undefined);
    },
  };
  // Clients of this instance reconnect and catch up after its subscribers lost Redis.
  const gaps = recycleAfterSubscriptionGaps(
    [adapterSubscriber, ...interop.subscribers],
    realtime,
    log,
    () => peersAnnounced(io),
  );
  await interop.start();

  io.use(socketAuthMiddleware(app));
  io.use(
    limitSocketConnections(connectionLeases, maxConnections, () =>
      metrics.rateLimited('connections'),
    ),
  );
  // Every handler is attached synchronously, before anything is awaited, so an event sent right
  // after connecting is never lost.
  io.on('connection', (socket) => {
    if (log.isLevelEnabled('debug')) {
      const socketLog = { socketId: socket.id, userId: socket.data.userId };
      log.debug(socketLog, 'socket connected');
      socket.once('disconnect', (reason) => log.debug({ ...socketLog, reason }, 'socket closed'));
    }
    // General and the user's own channel are live before any await.
    void socket.join([roomChannel(GENERAL_ROOM_ID), userChannel(socket.data.userId)]);
    // Closed as soon as its session ends, on whichever instance it was ended.
    const release = liveSessions.hold(socket.data.sessionId, socket.data.sessionExpiresAtMs, () =>
      socket.disconnect(true),
    );
    socket.once('disconnect', release);
    // One shared listener per client event (messages, rooms, reactions, typing).
    handle.listen(socket);
    rooms.onConnection(socket);
    presence.onConnection(socket);
  });

  // --- routes ----------------------------------------------------------------------------------
  auth.routes(app);
  presence.routes(app);
  rooms.routes(app);
  messages.routes(app);
  reads.routes(app);
  search.routes(app);
  reactions.routes(app);
  files.routes(app);
  threads.routes(app);
  mutes.routes(app);
  moderation.routes(app);
  systemRoutes(app, {
    sourceUrl: config.sourceUrl,
    pingRedis: async () => {
      // On a cluster every shard must answer: one node alone says nothing of the others.
      await withTimeout(
        isRedisCluster(redis) ? pingEveryMaster(redis) : redis.ping().then(() => undefined),
        READINESS_PING_TIMEOUT_MS,
      );
    },
  });
  metricsRoute(app, metrics, config.metricsToken);
  interop.routes(app, {
    hasSocket: (sessionId) => presence.tracker.hasSocket(sessionId),
    liveSessions,
    takeConnectionLease: async (userId) => {
      const release = await connectionLeases.take(userId);
      if (release) return release;
      metrics.rateLimited('connections');
      return tooManyConnections(maxConnections);
    },
  });
  await serveApiDocs(app);
  const servingWeb = await serveWebClient(app, config.webDistDir);
  app.setNotFoundHandler((request, reply) => {
    if (servingWeb && wantsHtml(request.method, request.headers.accept)) {
      return reply.sendFile('index.html');
    }
    return sendError(reply, 'not_found', `no route ${request.method} ${request.url.split('?')[0]}`);
  });

  await presence.tracker.start();
  metrics.start();
  retention.start();
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  log.info({ port, web: servingWeb, seedBridge: config.seedBridge }, 'chat server listening');

  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= (async () => {
      // No new connections: clients reconnect, through the load balancer, to another instance.
      app.server.close();
      // Acks answered, transports closed, presence handed over before Redis is let go.
      gaps.stop();
      retention.stop();
      await handOverConnections(realtime).catch((error: unknown) =>
        log.warn({ err: error }, 'presence cleanup failed'),
      );
      // The users this instance wrote off reach the others before Redis is let go.
      fanOut.flushPresence();
      await app.close();
      await connectionLeases.close();
      metrics.stop();
      await liveSessions.close();
      await Promise.allSettled([
        redis.close(),
        adapterSubscriber.close(),
        sessionsSubscriber.close(),
        interop.close(),
      ]);
      log.info('chat server stopped');
    })();
    return closing;
  };
  return { port, url: `http://127.0.0.1:${port}`, serverId, routes: registered, close };
}
