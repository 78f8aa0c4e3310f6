/**
 * Chat servers for tests, from the launcher: in-process through startChatServer (the function
 * main.ts runs), or as real child processes of src/server/main.ts for behaviour that crosses
 * instances or the process boundary.
 */
import {
  type ChatServerProcess,
  type InProcessServer,
  type RedisDeployment,
  existingRedis,
  startInProcessServer as startInProcess,
  startServers,
} from '../../scripts/launcher/index.js';

export type { InProcessServer };
export type ServerProcess = ChatServerProcess;

/**
 * Environment for a test server: quiet, no HTTPS, the production web build, presence announced
 * at once (no offline grace, a short batch window) so that tests need not wait seconds for it;
 * presence-churn.test.ts measures the grace and the batches as deployed.
 */
function testEnv(extra: Record<string, string>): Record<string, string> {
  return {
    LOG_LEVEL: 'silent',
    COOKIE_SECURE: 'false',
    WEB_DIST_DIR: 'dist/web',
    PRESENCE_OFFLINE_GRACE_MS: '0',
    PRESENCE_BATCH_MS: '20',
    ...extra,
  };
}

/** A Redis given as a deployment or by URL (a proxy in front of one, say). */
const deployment = (redis: RedisDeployment | string) =>
  typeof redis === 'string' ? existingRedis(redis) : redis;

export function startInProcessServer(
  redis: RedisDeployment | string,
  extra: Record<string, string> = {},
): Promise<InProcessServer> {
  return startInProcess({ redis: deployment(redis), env: testEnv(extra) });
}

/**
 * Runs `src/server/main.ts` as its own process, the code path of `npm start`, logging at info
 * (tests read its output). `extra.PORT` chooses the port (a restart on the same one).
 */
export async function startServerProcess(
  redis: RedisDeployment | string | null,
  extra: Record<string, string> = {},
): Promise<ServerProcess> {
  const [server] = await startServerProcesses(1, redis, extra);
  return server as ServerProcess;
}

/** Several processes side by side (their cold starts overlap). */
export function startServerProcesses(
  count: number,
  redis: RedisDeployment | string | null,
  extra: Record<string, string> = {},
): Promise<ServerProcess[]> {
  const { PORT, ...env } = extra;
  return startServers(count, {
    redis: redis === null ? null : deployment(redis),
    ports: PORT ? [Number(PORT)] : undefined,
    env: testEnv({ LOG_LEVEL: 'info', ...env }),
  });
}
