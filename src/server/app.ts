/**
 * Wiring: builds one chat server instance from its configuration — Redis clients, stores, domain
 * services, the HTTP routes and Socket.IO — and knows how to stop it cleanly. main.ts runs it as a
 * process; the tests run it in-process through the same function.
 */
import { createAdapter, createShardedAdapter } from '@socket.io/redis-adapter';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import type { Logger } from 'pino';
import { Server } from 'socket.io';
import { BODY_LIMIT_BYTES, PAGE_SIZE_MAX } from '../protocol/limits.js';
import type { Config } from './config.js';
import { ensureDemoData } from './demo-data.js';
import { createAuth } from './features/auth/index.js';
import { createMentions } from './features/mentions/index.js';
import { createMessages } from './features/messages/index.js';
import { createModeration } from './features/moderation/index.js';
import { createPresence } from './features/presence/index.js';
import { createReactions } from './features/reactions/index.js';
import { createReads } from './features/reads/index.js';
import { createRooms } from './features/rooms/index.js';
import { createSearch } from './features/search/index.js';
import { createThreads } from './features/threads/index.js';
import { createTyping } from './features/typing/index.js';
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
import { recycleAfterSubscriptionGaps } from './kernel/realtime/subscription-gaps.js';
import { coalesceWebSocketWrites } from './kernel/realtime/write-coalescing.js';
import {
  type RedisClient,
  createRedisClient,
  duplicateRedisClient,
} from './kernel/redis/client.js';
import { createRedisCluster, isRedisCluster, pingEveryMaster } from './kernel/redis/cluster.js';
import { SOCKET_IO_CHANNEL_PREFIX } from './kernel/redis/keys.js';
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

const HEARTBEAT_MS = 5_000;
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

/** Redis 7 has sharded pub/sub, which the adapter uses to spread load over a cluster's shards. */
async function supportsShardedPubSub(redis: RedisClient): Promise<boolean> {
  const info = await redis.info('server');
  const major = Number(/redis_version:(\d+)/.exec(info)?.[1] ?? 0);
  return major >= 7;
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
  // Moderation names users through auth's directory, which is made next: looked up when asked.
  const moderation = createModeration({
    redis,
    sessions: sessionEnding,
    users: { usernames: (ids) => auth.users.usernames(ids) },
    adminUsers: config.adminUsers,
  });
  const auth = createAuth(redis, passwords, config, sessionEnding, {
    assertMaySignIn: (userId) => moderation.rules.assertMaySignIn(userId),
    isAdmin: (user) => moderation.rules.isAdmin(user),
  });
  await auth.prepare();
  if (config.demoData && (await ensureDemoData(redis, auth.users, passwords))) {
    log.info('wrote the demo data (users Pablo, Joe, Mary, Alex; password password123)');
  }

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
  // Refused before Engine.IO opens a connection.
  const handshakeChecks = new HandshakeChecks()
    .add(refuseJsonp)
    .add((request) => origins.refusal(request))
    // Last: the checks above cost no Redis round trip.
    .add(sessionHandshakeCheck(app));
  handshakeChecks.install(io);
  // Frames a busy socket gets within a few ms leave in one write: see write-coalescing.ts.
  coalesceWebSocketWrites(app.server, io.path());
  // 'static': every instance listens on one main channel, not one channel per Socket.IO room.
  // Most emits go to General (followed by every instance) or to two user rooms (sent on the main
  // channel anyway), and a per-room subscription made as a socket joins could miss an emit
  // racing it, or be lost if Redis drops while it is being made.
  const adapterOptions = {
    channelPrefix: SOCKET_IO_CHANNEL_PREFIX,
    subscriptionMode: 'static' as const,
  };
  io.adapter(
    (await supportsShardedPubSub(redis))
      ? createShardedAdapter(redis, adapterSubscriber, adapterOptions)
      : createAdapter(redis, adapterSubscriber, { key: SOCKET_IO_CHANNEL_PREFIX }),
  );
  // After io.adapter(): the batcher's mirror channels live in the adapter.
  const fanOut = new FanOut(io, () => redis.ping(), metrics, config.presenceBatchMs);
  metrics.countSocketsWith(() => io.of('/').sockets.size);

  const pending = new PendingEvents();
  const handle = clientEventHandler(pending, errors, log);

  // --- features --------------------------------------------------------------------------------
  // Each feature gets what it needs of the others as plain functions; the room list needs the
  // messages and reads features, which need rooms, so its activity is looked up when asked.
  const presence = createPresence({
    redis,
    serverId,
    fanOut,
    events,
    users: auth.users,
    log,
    options: {
      heartbeatMs: HEARTBEAT_MS,
      instanceTimeoutMs: config.instanceTimeoutS * 1000,
      offlineGraceMs: config.presenceOfflineGraceMs,
    },
  });
  const rooms = createRooms({
    redis,
    fanOut,
    events,
    users: auth.users,
    online: presence,
    activity: {
      newestMessages: (roomIds) => messages.newestMessages(roomIds),
      unreadIn: (userId, roomIds) => reads.unreadIn(userId, roomIds),
    },
    handle,
    log,
    roomsPerHour: config.userLimits.roomsPerHour,
    invitesPerMinute: config.userLimits.invitesPerMinute,
    inviteCooldownS: config.userLimits.inviteCooldownS,
  });
  const mentions = createMentions(
    redis,
    {
      idOfUsername: (username) => auth.users.idOfUsername(username),
      isGroupMember: (roomId, userId) => rooms.isGroupMember(roomId, userId),
    },
    events,
    config.userLimits.mentionsPerMessage,
  );
  const reads = createReads({ redis, fanOut, events, mentions: mentions.index, rooms });

  // --- the demo's servers ----------------------------------------------------------------------
  const interop = new SeedInterop({
    enabled: config.seedBridge,
    serverId,
    redis,
    fanOut,
    events,
    log,
    readStored: (roomId, fromScore) => messages.readFromScore(roomId, fromScore, PAGE_SIZE_MAX),
  });
  await interop.connect();

  const messages = createMessages({
    redis,
    fanOut,
    rooms,
    mentions,
    reads,
    messagesPerSecond: config.messagesPerSecond,
    messageChangesPerMinute: config.userLimits.messageChangesPerMinute,
    handle,
    counter: metrics,
    publishWithMessage: interop.publishWithMessage,
    events,
    moderators: moderation.rules,
    // Threads look messages up through this feature: asked when a reply comes.
    threads: {
      threadOf: (roomId, replyTo) => threads.threadOf(roomId, replyTo),
      withSummaries: (roomId, list) => threads.withSummaries(roomId, list),
    },
  });
  const threads = createThreads({
    redis,
    fanOut,
    events,
    rooms,
    messages,
    repliesMax: config.threadRepliesMax,
    log,
  });
  const search = createSearch({
    redis,
    events,
    rooms,
    searchesPerMinute: config.searchesPerMinute,
    log,
  });
  const typing = createTyping({
    redis,
    rooms,
    fanOut,
    handle,
    intervalMs: config.userLimits.typingIntervalMs,
  });
  const reactions = createReactions({
    redis,
    fanOut,
    rooms,
    messages,
    handle,
    changesPerMinute: config.reactionsPerMinute,
  });

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
    rooms.onConnection(socket);
    messages.onConnection(socket);
    typing.onConnection(socket);
    reactions.onConnection(socket);
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
  threads.routes(app);
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
