/**
 * The one place that reads the environment. Every variable is validated once at start-up, so a
 * typo fails at once with a sentence naming the variable, instead of at the first request.
 * `.env.example` documents the same variables for people deploying the server.
 */
import { existsSync } from 'node:fs';
import { z } from 'zod';

const positiveInt = (fallback: number) =>
  z.coerce.number().int().positive().optional().default(fallback);

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
  /** Failed logins allowed per client address, and per username, within the window below. */
  LOGIN_FAILURES_PER_IP: positiveInt(50),
  LOGIN_FAILURES_PER_USERNAME: positiveInt(10),
  LOGIN_FAILURE_WINDOW_S: positiveInt(15 * 60),
  /** Messages one user may send per second, over all their connections and instances. */
  MESSAGES_PER_SECOND: positiveInt(10),
  /** Publish and accept the seed's `MESSAGES` envelopes, for seed servers sharing the Redis. */
  SEED_BRIDGE: booleanFlag(true),
  /** Create the seed's demo users, rooms and messages on an empty Redis. */
  DEMO_DATA: booleanFlag(true),
  /** Directory of the built web client served at /. */
  WEB_DIST_DIR: z.string().optional().default('dist/web'),
  /** Seconds after which a silent instance's users are marked offline by the others. */
  INSTANCE_TIMEOUT_S: positiveInt(20),
  /** Trust X-Forwarded-* from a proxy in front (client address for rate limits, https). */
  TRUST_PROXY: booleanFlag(false),
  /** pino log level. */
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .optional()
    .default('info'),
  /** Link to the project's source, answered by GET /links. */
  SOURCE_URL: z.string().url().optional(),
  /** When set, GET /metrics requires `Authorization: Bearer <METRICS_TOKEN>`. */
  METRICS_TOKEN: z.string().min(16, 'METRICS_TOKEN must be at least 16 characters').optional(),
});

export interface RedisTarget {
  /** Where to connect; null when nothing is configured (an embedded server may be started). */
  url: string | null;
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
  loginFailuresPerIp: number;
  loginFailuresPerUsername: number;
  loginFailureWindowS: number;
  messagesPerSecond: number;
  seedBridge: boolean;
  demoData: boolean;
  webDistDir: string;
  instanceTimeoutS: number;
  trustProxy: boolean;
  logLevel: string;
  sourceUrl: string | null;
  /** Null: /metrics is open to whoever reaches the port. */
  metricsToken: string | null;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function redisTarget(env: z.infer<typeof envSchema>): RedisTarget {
  if (env.REDIS_URL) return { url: env.REDIS_URL, configured: true };
  if (env.REDIS_ENDPOINT_URL) {
    const auth = env.REDIS_PASSWORD ? `:${encodeURIComponent(env.REDIS_PASSWORD)}@` : '';
    return { url: `redis://${auth}${env.REDIS_ENDPOINT_URL}`, configured: true };
  }
  return { url: null, configured: false };
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
  return {
    port: e.PORT,
    host: e.HOST,
    redis: redisTarget(e),
    embeddedRedisPort: e.EMBEDDED_REDIS_PORT,
    redisDataDir: e.REDIS_DATA_DIR,
    sessionSecret: e.SESSION_SECRET ?? e.SECRET_KEY ?? null,
    sessionTtlS: e.SESSION_TTL_S,
    cookieSecure: e.COOKIE_SECURE === 'auto' ? 'auto' : e.COOKIE_SECURE === 'true',
    loginFailuresPerIp: e.LOGIN_FAILURES_PER_IP,
    loginFailuresPerUsername: e.LOGIN_FAILURES_PER_USERNAME,
    loginFailureWindowS: e.LOGIN_FAILURE_WINDOW_S,
    messagesPerSecond: e.MESSAGES_PER_SECOND,
    seedBridge: e.SEED_BRIDGE,
    demoData: e.DEMO_DATA,
    webDistDir: e.WEB_DIST_DIR,
    instanceTimeoutS: e.INSTANCE_TIMEOUT_S,
    trustProxy: e.TRUST_PROXY,
    logLevel: e.LOG_LEVEL,
    sourceUrl: e.SOURCE_URL ?? null,
    metricsToken: e.METRICS_TOKEN ?? null,
  };
}

/** process.env, after reading `.env` when there is one (variables already set win). */
function readProcessEnv(): Record<string, string | undefined> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  return process.env;
}
