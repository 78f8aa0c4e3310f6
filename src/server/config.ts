/**
 * The one place that reads the environment. Every variable is validated once at start-up, so a
 * typo fails at once with a sentence naming the variable, instead of at the first request.
 * `.env.example` documents the same variables for people deploying the server.
 */
import { existsSync } from 'node:fs';
import proxyAddr from '@fastify/proxy-addr';
import { z } from 'zod';

const positiveInt = (fallback: number) =>
  z.coerce.number().int().positive().optional().default(fallback);

/** A count that may be 0, which turns its limit off. */
const countOrOff = (fallback: number) =>
  z.coerce.number().int().min(0).optional().default(fallback);

/**
 * Which proxies in front may say who the client is (X-Forwarded-For) and how it reached us
 * (X-Forwarded-Proto, X-Forwarded-Host): none, the nearest N hops, or the proxies at these
 * addresses or subnets.
 */
export type TrustProxy =
  { kind: 'none' } | { kind: 'hops'; hops: number } | { kind: 'addresses'; addresses: string[] };

const trustProxy = z
  .string()
  .optional()
  .transform((value, context): TrustProxy => {
    const text = value?.trim().toLowerCase() ?? '';
    if (['', 'false', '0', 'no', 'off'].includes(text)) return { kind: 'none' };
    // One proxy in front, the usual deployment; never "every hop", which would let a client
    // choose its own address by sending X-Forwarded-For itself.
    if (text === 'true') return { kind: 'hops', hops: 1 };
    if (/^[0-9]+$/.test(text)) return { kind: 'hops', hops: Number(text) };
    const addresses = text.split(',').map((entry) => entry.trim());
    try {
      proxyAddr.compile(addresses);
    } catch (error) {
      context.addIssue({
        code: 'custom',
        message:
          'TRUST_PROXY must be false, a hop count, or proxy addresses/subnets separated by commas ' +
          `(${error instanceof Error ? error.message : String(error)})`,
      });
      return z.NEVER;
    }
    return { kind: 'addresses', addresses };
  });

/** Browser origins (scheme://host[:port]) allowed besides the server's own. */
const originList = z
  .string()
  .optional()
  .transform((value, context) => {
    const origins: string[] = [];
    for (const entry of (value ?? '').split(',').map((item) => item.trim())) {
      if (!entry) continue;
      let origin: string | null = null;
      try {
        origin = new URL(entry).origin;
      } catch {
        origin = null;
      }
      if (!origin || origin === 'null' || !/^https?:/.test(origin)) {
        context.addIssue({
          code: 'custom',
          message: `ALLOWED_ORIGINS: "${entry}" is not an origin such as https://chat.example.com`,
        });
        return z.NEVER;
      }
      origins.push(origin);
    }
    return origins;
  });

const booleanFlag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'])
    .optional()
    .transform((value) =>
      value === undefined ? fallback : ['true', '1', 'yes', 'on'].includes(value),
    );

const envSchema = z.object({
  /** HTTP port of the server. */
  PORT: z.coerce.number().int().min(0).max(65535).optional().default(8080),
  /** Address to listen on. */
  HOST: z.string().optional().default('0.0.0.0'),
  /** redis:// or rediss:// URL. Wins over the seed's REDIS_ENDPOINT_URL. */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'REDIS_URL must start with redis:// or rediss://')
    .optional(),
  /** The seed's variables: host:port and password. */
  REDIS_ENDPOINT_URL: z
    .string()
    .regex(/^[^:]+:\d+$/, 'REDIS_ENDPOINT_URL must be host:port')
    .optional(),
  REDIS_PASSWORD: z.string().optional(),
  /**
   * Seed nodes of a Redis Cluster, comma-separated: host:port, or redis:// / rediss:// URLs whose
   * user, password and TLS apply to every node. Set, it wins over REDIS_URL.
   */
  REDIS_CLUSTER_NODES: z.string().optional(),
  /** With no Redis configured: the local port probed for a running Redis, and where an embedded
   * redis-server is started when nothing answers there. */
  EMBEDDED_REDIS_PORT: z.coerce.number().int().min(1).max(65535).optional().default(6379),
  /** Where an embedded redis-server keeps its data when no Redis is configured or running. */
  REDIS_DATA_DIR: z.string().optional().default('./data'),
  /** Secret that signs session cookies (at least 32 characters). SECRET_KEY is the seed's name. */
  SESSION_SECRET: z.string().min(32, 'SESSION_SECRET must be at least 32 characters').optional(),
  SECRET_KEY: z.string().min(32, 'SECRET_KEY must be at least 32 characters').optional(),
  /** How long a session lives without use, in seconds. */
  SESSION_TTL_S: positiveInt(7 * 24 * 3600),
  /** Mark the session cookie Secure: "auto" trusts X-Forwarded-Proto from the proxy in front. */
  COOKIE_SECURE: z.enum(['auto', 'true', 'false']).optional().default('auto'),
  /**
   * Failed sign-ins allowed per client address and username, and per client address over every
   * username, within LOGIN_FAILURE_WINDOW_S.
   */
  LOGIN_FAILURES_PER_IP_AND_USERNAME: positiveInt(10),
  LOGIN_FAILURES_PER_IP: positiveInt(50),
  LOGIN_FAILURE_WINDOW_S: positiveInt(15 * 60),
  /**
   * Failed sign-ins for one username from all addresses together within
   * LOGIN_USERNAME_WINDOW_S; past it, each address gets one failure per window for that name.
   */
  LOGIN_FAILURES_PER_USERNAME: positiveInt(100),
  LOGIN_USERNAME_WINDOW_S: positiveInt(60 * 60),
  /** Accounts one client address may register per hour; 0 turns the limit off. */
  REGISTRATIONS_PER_IP_PER_HOUR: countOrOff(30),
  /** Password changes (attempts) one user may make per hour: each costs two bcrypt hashes. */
  PASSWORD_CHANGES_PER_HOUR: positiveInt(10),
  /** Password hashes computed at once; the others wait in a queue served fairly by address. */
  BCRYPT_CONCURRENCY: positiveInt(2),
  /** Browser origins allowed besides the server's own, comma-separated. */
  ALLOWED_ORIGINS: originList,
  /** Messages one user may send per second, over all their connections and instances. */
  MESSAGES_PER_SECOND: positiveInt(10),
  /** Reactions one user may add or remove per minute, over all their connections and instances. */
  REACTIONS_PER_MINUTE: positiveInt(60),
  /** Replies one thread may hold; past it a reply is refused (`limit_reached`). */
  THREAD_REPLIES_MAX: positiveInt(1000),
  // --- retention (unset: every message is kept) ---
  /** Messages older than this many days are removed. */
  RETENTION_DAYS: z.coerce.number().positive('RETENTION_DAYS must be above 0').optional(),
  /** A room keeps only its newest this many messages. */
  RETENTION_MAX_MESSAGES_PER_ROOM: z.coerce.number().int().positive().optional(),
  /** Milliseconds between two retention runs of an instance (one instance runs at a time). */
  RETENTION_INTERVAL_MS: z.coerce.number().int().min(1000).optional().default(3_600_000),
  /** Mutes and unmutes one user may make per minute, over all their devices and instances. */
  MUTE_CHANGES_PER_MINUTE: positiveInt(30),
  /** Publish and accept the seed's `MESSAGES` envelopes, for seed servers sharing the Redis. */
  SEED_BRIDGE: booleanFlag(true),
  /** Create the seed's demo users, rooms and messages on an empty Redis. */
  DEMO_DATA: booleanFlag(true),
  /** Directory of the built web client served at /. */
  WEB_DIST_DIR: z.string().optional().default('dist/web'),
  /** Seconds after which a silent instance's users are marked offline by the others. */
  INSTANCE_TIMEOUT_S: positiveInt(20),
  /**
   * Milliseconds a user whose last connection closed still shows online: a reload or a network
   * blip shorter than this announces nothing, and a user cycling connections causes at most one
   * offline/online pair per period. 0 announces offline at once.
   */
  PRESENCE_OFFLINE_GRACE_MS: countOrOff(5_000),
  /** Milliseconds presence changes are gathered before they are sent, as one batch. */
  PRESENCE_BATCH_MS: positiveInt(1_000),
  /**
   * Milliseconds a room's messages are gathered for sockets that opted in to `message.batch`
   * (one frame per socket and window: longer costs less CPU, adds latency).
   */
  MESSAGE_BATCH_MS: positiveInt(10),
  /** Which proxies in front to trust for X-Forwarded-* (client address, https, host). */
  TRUST_PROXY: trustProxy,
  /** pino log level. */
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .optional()
    .default('info'),
  /** Link to the project's source, answered by GET /links. */
  SOURCE_URL: z.string().url().optional(),
  /** When set, GET /metrics requires `Authorization: Bearer <METRICS_TOKEN>`. */
  METRICS_TOKEN: z.string().min(16, 'METRICS_TOKEN must be at least 16 characters').optional(),
  // --- search and files ---
  /** Searches one user may run per minute, over all instances. */
  SEARCHES_PER_MINUTE: positiveInt(30),
  /** Largest file one upload may carry, in bytes. */
  MAX_UPLOAD_BYTES: positiveInt(10 * 1024 * 1024),
  /** Bytes one user may upload per day (a window from their first upload), over all instances. */
  UPLOAD_BYTES_PER_DAY: positiveInt(200 * 1024 * 1024),
  /**
   * Bytes each upload counts at least against UPLOAD_BYTES_PER_DAY, so that tiny files cannot
   * multiply (each one is three Redis keys); 0 counts a file's own size only.
   */
  UPLOAD_MIN_CHARGE_BYTES: countOrOff(64 * 1024),
  // --- limits on what one user can multiply (0 turns a limit off) ---
  /** Sockets plus /stream responses one user may hold open over every instance. */
  MAX_CONNECTIONS_PER_USER: countOrOff(20),
  /** Message edits and deletes one user may make per minute (each is broadcast to the room). */
  MESSAGE_CHANGES_PER_MINUTE: positiveInt(60),
  /** Distinct `@names` of one message looked up; the ones after these mention nobody. */
  MENTIONS_PER_MESSAGE: positiveInt(20),
  /** Group rooms one user may create per hour (each one stays, with its name and members). */
  ROOMS_PER_USER_PER_HOUR: countOrOff(20),
  /** Invitations one user may send per minute (each one adds a room to someone else's list). */
  INVITES_PER_USER_PER_MINUTE: countOrOff(30),
  /** Files one user may upload per minute, whatever their size (each one is kept in Redis). */
  UPLOADS_PER_USER_PER_MINUTE: countOrOff(20),
  /**
   * Milliseconds between two typing notices of one user in one room, over all their sockets
   * (each one is relayed to the whole room); the web client sends one every 2 s at most.
   */
  TYPING_INTERVAL_MS: countOrOff(2000),
  /** Seconds after leaving a room during which nobody can invite the user back into it. */
  INVITE_COOLDOWN_S: countOrOff(600),
  /**
   * Milliseconds a Redis command may go unanswered before it fails (an error ack, /readyz 503);
   * a connection silent that long is dropped and made again.
   */
  REDIS_COMMAND_TIMEOUT_MS: z.coerce.number().int().min(200).max(60_000).optional().default(5000),
  /** Usernames of the administrators, comma-separated (compared ignoring case). */
  ADMIN_USERS: z
    .string()
    .optional()
    .transform((value) =>
      (value ?? '')
        .split(',')
        .map((name) => name.trim())
        .filter((name) => name !== ''),
    ),
});

export interface RedisTarget {
  /** Where to connect; null when nothing is configured (an embedded server may be started). */
  url: string | null;
  /**
   * A Redis Cluster's seed nodes as redis:// or rediss:// URLs, all with the same credentials;
   * null for a single Redis (`url`).
   */
  clusterNodes: string[] | null;
  /** True when the operator named a Redis explicitly. */
  configured: boolean;
}

export interface Config {
  port: number;
  host: string;
  redis: RedisTarget;
  embeddedRedisPort: number;
  redisDataDir: string;
  /** Null when the secret should be generated once and shared through Redis. */
  sessionSecret: string | null;
  sessionTtlS: number;
  cookieSecure: 'auto' | boolean;
  loginFailuresPerIpAndUsername: number;
  loginFailuresPerIp: number;
  loginFailureWindowS: number;
  loginFailuresPerUsername: number;
  loginUsernameWindowS: number;
  /** 0: no limit. */
  registrationsPerIpPerHour: number;
  passwordChangesPerHour: number;
  bcryptConcurrency: number;
  /** Origins allowed besides the server's own (normalized by URL). */
  allowedOrigins: string[];
  messagesPerSecond: number;
  reactionsPerMinute: number;
  maxUploadBytes: number;
  uploadBytesPerDay: number;
  /** Bytes an upload counts at least against uploadBytesPerDay; 0: its own size. */
  uploadMinChargeBytes: number;
  threadRepliesMax: number;
  muteChangesPerMinute: number;
  seedBridge: boolean;
  demoData: boolean;
  webDistDir: string;
  instanceTimeoutS: number;
  presenceOfflineGraceMs: number;
  presenceBatchMs: number;
  messageBatchMs: number;
  /** How long a Redis command may go unanswered before it fails (REDIS_COMMAND_TIMEOUT_MS). */
  redisCommandTimeoutMs: number;
  trustProxy: TrustProxy;
  logLevel: string;
  sourceUrl: string | null;
  /** Null: /metrics is open to whoever reaches the port. */
  metricsToken: string | null;
  // --- search and files ---
  searchesPerMinute: number;
  /** Limits on what one user can multiply; 0 turns one off. */
  userLimits: UserLimits;
  /** Usernames of the administrators, as written in ADMIN_USERS. */
  adminUsers: string[];
  retention: RetentionConfig;
}

/** How long messages are kept; both null (the default) keeps every message. */
export interface RetentionConfig {
  /** RETENTION_DAYS: messages older than this go. */
  maxAgeDays: number | null;
  /** RETENTION_MAX_MESSAGES_PER_ROOM: a room keeps its newest this many. */
  maxMessagesPerRoom: number | null;
  /** RETENTION_INTERVAL_MS: how often each instance tries a run. */
  intervalMs: number;
}

export interface UserLimits {
  maxConnectionsPerUser: number;
  messageChangesPerMinute: number;
  mentionsPerMessage: number;
  roomsPerHour: number;
  invitesPerMinute: number;
  uploadsPerMinute: number;
  typingIntervalMs: number;
  inviteCooldownS: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function redisTarget(env: z.infer<typeof envSchema>): RedisTarget {
  if (env.REDIS_CLUSTER_NODES !== undefined) {
    const nodes = clusterNodeUrls(env.REDIS_CLUSTER_NODES);
    return { url: nodes[0] ?? null, clusterNodes: nodes, configured: true };
  }
  if (env.REDIS_URL) return { url: env.REDIS_URL, clusterNodes: null, configured: true };
  if (env.REDIS_ENDPOINT_URL) {
    const auth = env.REDIS_PASSWORD ? `:${encodeURIComponent(env.REDIS_PASSWORD)}@` : '';
    return {
      url: `redis://${auth}${env.REDIS_ENDPOINT_URL}`,
      clusterNodes: null,
      configured: true,
    };
  }
  return { url: null, clusterNodes: null, configured: false };
}

/**
 * REDIS_CLUSTER_NODES as URLs. A bare host:port takes the scheme and credentials of the entries
 * written as URLs, so `rediss://app:secret@10.0.0.1:6379,10.0.0.2:6379` names two TLS nodes with
 * one ACL user; entries that disagree on them are refused rather than half-applied.
 */
function clusterNodeUrls(value: string): string[] {
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0) {
    throw new ConfigError('Invalid configuration: REDIS_CLUSTER_NODES names no node');
  }
  const urls = entries.map((entry) => {
    const url = /^rediss?:\/\//.test(entry)
      ? entry
      : /^[^:/@]+:\d+$/.test(entry)
        ? null
        : undefined;
    if (url === undefined) {
      throw new ConfigError(
        `Invalid configuration: REDIS_CLUSTER_NODES: "${entry}" is neither host:port nor a redis:// or rediss:// URL`,
      );
    }
    return { entry, url: url === null ? null : new URL(url) };
  });
  const written = urls.flatMap(({ url }) => (url ? [url] : []));
  const access = (url: URL) => `${url.protocol}//${url.username}:${url.password}@`;
  const accesses = new Set(written.map(access));
  if (accesses.size > 1) {
    throw new ConfigError(
      'Invalid configuration: REDIS_CLUSTER_NODES: every node must have the same scheme, user and password',
    );
  }
  const template = written[0];
  return urls.map(({ entry, url }) => {
    if (url) return url.toString().replace(/\/$/, '');
    if (!template) return `redis://${entry}`;
    const filled = new URL(`${template.protocol}//${entry}`);
    filled.username = template.username;
    filled.password = template.password;
    return filled.toString().replace(/\/$/, '');
  });
}

/** Builds the configuration from an environment (process.env by default, or a test's own). */
export function loadConfig(env: Record<string, string | undefined> = readProcessEnv()): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.')}: ${issue.message}`,
    );
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  if (e.UPLOAD_MIN_CHARGE_BYTES > e.UPLOAD_BYTES_PER_DAY) {
    // No upload at all would fit in a day.
    throw new ConfigError(
      `Invalid configuration: UPLOAD_MIN_CHARGE_BYTES (${e.UPLOAD_MIN_CHARGE_BYTES}) must not exceed UPLOAD_BYTES_PER_DAY (${e.UPLOAD_BYTES_PER_DAY})`,
    );
  }
  return {
    port: e.PORT,
    host: e.HOST,
    redis: redisTarget(e),
    embeddedRedisPort: e.EMBEDDED_REDIS_PORT,
    redisDataDir: e.REDIS_DATA_DIR,
    sessionSecret: e.SESSION_SECRET ?? e.SECRET_KEY ?? null,
    sessionTtlS: e.SESSION_TTL_S,
    cookieSecure: e.COOKIE_SECURE === 'auto' ? 'auto' : e.COOKIE_SECURE === 'true',
    loginFailuresPerIpAndUsername: e.LOGIN_FAILURES_PER_IP_AND_USERNAME,
    loginFailuresPerIp: e.LOGIN_FAILURES_PER_IP,
    loginFailureWindowS: e.LOGIN_FAILURE_WINDOW_S,
    loginFailuresPerUsername: e.LOGIN_FAILURES_PER_USERNAME,
    loginUsernameWindowS: e.LOGIN_USERNAME_WINDOW_S,
    registrationsPerIpPerHour: e.REGISTRATIONS_PER_IP_PER_HOUR,
    passwordChangesPerHour: e.PASSWORD_CHANGES_PER_HOUR,
    bcryptConcurrency: e.BCRYPT_CONCURRENCY,
    allowedOrigins: e.ALLOWED_ORIGINS,
    messagesPerSecond: e.MESSAGES_PER_SECOND,
    reactionsPerMinute: e.REACTIONS_PER_MINUTE,
    maxUploadBytes: e.MAX_UPLOAD_BYTES,
    uploadBytesPerDay: e.UPLOAD_BYTES_PER_DAY,
    uploadMinChargeBytes: e.UPLOAD_MIN_CHARGE_BYTES,
    threadRepliesMax: e.THREAD_REPLIES_MAX,
    muteChangesPerMinute: e.MUTE_CHANGES_PER_MINUTE,
    seedBridge: e.SEED_BRIDGE,
    demoData: e.DEMO_DATA,
    webDistDir: e.WEB_DIST_DIR,
    instanceTimeoutS: e.INSTANCE_TIMEOUT_S,
    presenceOfflineGraceMs: e.PRESENCE_OFFLINE_GRACE_MS,
    presenceBatchMs: e.PRESENCE_BATCH_MS,
    messageBatchMs: e.MESSAGE_BATCH_MS,
    redisCommandTimeoutMs: e.REDIS_COMMAND_TIMEOUT_MS,
    trustProxy: e.TRUST_PROXY,
    logLevel: e.LOG_LEVEL,
    sourceUrl: e.SOURCE_URL ?? null,
    metricsToken: e.METRICS_TOKEN ?? null,
    // --- search and files ---
    searchesPerMinute: e.SEARCHES_PER_MINUTE,
    userLimits: {
      maxConnectionsPerUser: e.MAX_CONNECTIONS_PER_USER,
      messageChangesPerMinute: e.MESSAGE_CHANGES_PER_MINUTE,
      mentionsPerMessage: e.MENTIONS_PER_MESSAGE,
      roomsPerHour: e.ROOMS_PER_USER_PER_HOUR,
      invitesPerMinute: e.INVITES_PER_USER_PER_MINUTE,
      uploadsPerMinute: e.UPLOADS_PER_USER_PER_MINUTE,
      typingIntervalMs: e.TYPING_INTERVAL_MS,
      inviteCooldownS: e.INVITE_COOLDOWN_S,
    },
    adminUsers: e.ADMIN_USERS,
    retention: {
      maxAgeDays: e.RETENTION_DAYS ?? null,
      maxMessagesPerRoom: e.RETENTION_MAX_MESSAGES_PER_ROOM ?? null,
      intervalMs: e.RETENTION_INTERVAL_MS,
    },
  };
}

/** process.env, after reading `.env` when there is one (variables already set win). */
function readProcessEnv(): Record<string, string | undefined> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  return process.env;
}
