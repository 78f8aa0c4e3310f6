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
import { AuthService } from './domain/auth-service.js';
import { ChatService } from './domain/chat-service.js';
import { GroupService } from './domain/group-service.js';
import { authRoutes } from './http/routes/auth-routes.js';
import { groupRoutes } from './http/routes/group-routes.js';
import { roomRoutes } from './http/routes/room-routes.js';
import { userRoutes } from './http/routes/user-routes.js';
import { SeedInterop } from './interop/index.js';
import { DomainEvents } from './kernel/domain-events.js';
import { ErrorMapper } from './kernel/error-mapper.js';
import { installErrorHandler, sendError } from './kernel/http/error-handler.js';
import { serveWebClient, wantsHtml } from './kernel/http/static-files.js';
import { systemRoutes } from './kernel/http/system-routes.js';
import { bcryptHasher } from './kernel/passwords.js';
import { PendingEvents, answerer } from './kernel/realtime/acks.js';
import { FanOut } from './kernel/realtime/fan-out.js';
import { type RealtimeParts, handOverConnections } from './kernel/realtime/hand-over.js';
import type { ChatServer } from './kernel/realtime/socket-types.js';
import { recycleAfterSubscriptionGaps } from './kernel/realtime/subscription-gaps.js';
import { coalesceWebSocketWrites } from './kernel/realtime/write-coalescing.js';
import {
  type RedisClient,
  createRedisClient,
  duplicateRedisClient,
} from './kernel/redis/client.js';
import {
  LOGIN_FAILURES_BY_IP_PREFIX,
  LOGIN_FAILURES_BY_USERNAME_PREFIX,
  MESSAGES_SENT_PREFIX,
  SOCKET_IO_CHANNEL_PREFIX,
} from './kernel/redis/keys.js';
import { RedisRateLimiter } from './kernel/redis/rate-limiter.js';
import { newServerId } from './kernel/server-id.js';
import { registerSessions } from './kernel/sessions/http-session.js';
import { RedisSessionStore, sharedSessionSecret } from './kernel/sessions/session-store.js';
import { socketAuthMiddleware } from './kernel/sessions/socket-session.js';
import { PresenceTracker } from './realtime/presence-tracker.js';
import { handleConnection } from './realtime/socket-handlers.js';
import { ensureDemoData } from './store/demo-data.js';
import { RedisPresenceStore } from './store/presence-store.js';
import { RedisChatStore } from './store/redis-chat-store.js';
import { RedisGroupStore } from './store/redis-group-store.js';
import { RedisMessagePosting } from './store/message-posting.js';

const HEARTBEAT_MS = 5_000;
const READINESS_PING_TIMEOUT_MS = 1_000;

export interface RunningChatServer {
  /** The port actually listened on (useful with PORT=0). */
  port: number;
  url: string;
  serverId: string;
  close(): Promise<void>;
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

  // --- Redis -----------------------------------------------------------------------------------
  const redis = createRedisClient(redisUrl, log, 'commands');
  await redis.connect();
  const adapterSubscriber = duplicateRedisClient(redis, log, 'adapter-subscriber');
  await adapterSubscriber.connect();
  const errors = new ErrorMapper(() => !redis.isReady);
  const events = new DomainEvents();

  // --- stores and domain -----------------------------------------------------------------------
  const store = new RedisChatStore(redis);
  const groups = new RedisGroupStore(redis);
  const presenceStore = new RedisPresenceStore(redis, serverId);
  const limiter = (keyPrefix: string, points: number, durationS: number) =>
    new RedisRateLimiter(redis, { keyPrefix, points, durationS });
  const auth = new AuthService(store, bcryptHasher, {
    failuresByIp: limiter(
      LOGIN_FAILURES_BY_IP_PREFIX,
      config.loginFailuresPerIp,
      config.loginFailureWindowS,
    ),
    failuresByUsername: limiter(
      LOGIN_FAILURES_BY_USERNAME_PREFIX,
      config.loginFailuresPerUsername,
      config.loginFailureWindowS,
    ),
  });
  if (config.demoData && (await ensureDemoData(redis, store, bcryptHasher))) {
    log.info('wrote the demo data (users Pablo, Joe, Mary, Alex; password password123)');
  }

  // --- HTTP ------------------------------------------------------------------------------------
  const app = Fastify({
    // Per-request lines only when debugging; errors are logged at any level.
    loggerInstance: (['debug', 'trace'].includes(config.logLevel)
      ? log
      : log.child({}, { level: 'warn' })) as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: config.trustProxy,
    forceCloseConnections: true,
  });
  await registerSessions(app, {
    secret: config.sessionSecret ?? (await sharedSessionSecret(redis)),
    store: new RedisSessionStore(redis, config.sessionTtlS),
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
  const fanOut = new FanOut(io, () => redis.ping());

  // --- the demo's servers ----------------------------------------------------------------------
  const interop = new SeedInterop({
    enabled: config.seedBridge,
    serverId,
    redis,
    fanOut,
    events,
    log,
    readStored: (roomId, fromScore) => store.readFromScore(roomId, fromScore, PAGE_SIZE_MAX),
  });
  await interop.connect();

  const chat = new ChatService(
    { users: store, rooms: store, messages: store, presence: store, groups, reads: groups },
    new RedisMessagePosting(redis, store, {
      keyPrefix: MESSAGES_SENT_PREFIX,
      points: config.messagesPerSecond,
      windowMs: 1000,
    }),
    interop.publishWithMessage,
  );
  const presence = new PresenceTracker(
    presenceStore,
    fanOut,
    events,
    log,
    (ids) => store.usernames(ids),
    { heartbeatMs: HEARTBEAT_MS, instanceTimeoutMs: config.instanceTimeoutS * 1000 },
  );
  const pending = new PendingEvents();
  const realtime: RealtimeParts = {
    io,
    pending,
    presence,
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

  const answer = answerer(pending, errors, log);
  io.use(socketAuthMiddleware(app));
  io.on('connection', (socket) =>
    handleConnection(socket, { chat, fanOut, events, presence, logger: log, answer }),
  );

  // --- routes ----------------------------------------------------------------------------------
  authRoutes(app, auth);
  userRoutes(app, chat);
  roomRoutes(app, chat, fanOut);
  groupRoutes(app, new GroupService(groups, store, store), chat, fanOut);
  systemRoutes(app, {
    sourceUrl: config.sourceUrl,
    pingRedis: async () => {
      await withTimeout(redis.ping(), READINESS_PING_TIMEOUT_MS);
    },
  });
  interop.routes(app, (sessionId) => presence.hasSocket(sessionId));
  const servingWeb = await serveWebClient(app, config.webDistDir);
  app.setNotFoundHandler((request, reply) => {
    if (servingWeb && wantsHtml(request.method, request.headers.accept)) {
      return reply.sendFile('index.html');
    }
    return sendError(reply, 'not_found', `no route ${request.method} ${request.url.split('?')[0]}`);
  });

  await presence.start();
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
      await app.close();
      await Promise.allSettled([redis.close(), adapterSubscriber.close(), interop.close()]);
      log.info('chat server stopped');
    })();
    return closing;
  };
  return { port, url: `http://127.0.0.1:${port}`, serverId, close };
}
