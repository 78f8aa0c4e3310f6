/**
 * Idle connections: C authenticated sockets spread over a few users (each socket shares its user's
 * session, as tabs do), opened as fast as the server takes them. What they cost is the growth of
 * the servers' RSS divided by C; how fast they come is C over the time to open them all.
 */
import type { SocketSpec } from '../agent-protocol.js';
import { type BenchContext, type CpuSplit, batchesFor, roundTo } from '../context.js';

export interface ConnectionsResult {
  scenario: 'connections';
  instances: number;
  connections: number;
  users: number;
  opened: number;
  failed: number;
  firstError: string | null;
  connectionsPerS: number;
  serverRssBeforeMB: number;
  serverRssAfterMB: number;
  /** RSS growth per connection, in kilobytes. */
  rssKBPerConnection: number;
  serverCpuUsPerConnection: number;
  cpu: CpuSplit;
}

/**
 * `count` idle sockets over at most `userCount` bench users, round-robin: each user's first
 * connection (which announces them online to all sockets) comes early, while few sockets are
 * there to hear it.
 */
export async function idleSockets(
  ctx: BenchContext,
  count: number,
  userCount: number,
): Promise<{ users: number; sockets: SocketSpec[] }> {
  const users = await ctx.users(Math.min(userCount, count));
  const sockets = Array.from({ length: count }, (_, key): SocketSpec => {
    const user = users[key % users.length]!;
    return {
      key,
      userIndex: user.index,
      url: user.url,
      cookie: user.cookie,
      allowedRooms: [],
      expectedRooms: [],
      batch: batchesFor(ctx.options.batch, key),
    };
  });
  return { users: users.length, sockets };
}

export async function runConnections(ctx: BenchContext): Promise<ConnectionsResult> {
  const params = ctx.options.connections;
  const { users, sockets } = await idleSockets(ctx, params.connections, params.users);

  await ctx.settle();
  await ctx.waitForQuietMachine();
  const before = ctx.serverRss();
  const window = ctx.window('connections');
  const opened = await ctx.agents.open(sockets, {
    listen: false,
    concurrency: params.concurrency,
  });
  const { serverCpuS, ...cpu } = window.stop();
  await ctx.settle(2000);
  const after = ctx.serverRss();
  await ctx.agents.closeSockets();

  return {
    scenario: 'connections',
    instances: ctx.deployment.urls.length,
    connections: params.connections,
    users,
    opened: opened.opened,
    failed: opened.failed,
    firstError: opened.firstError,
    connectionsPerS: roundTo(opened.opened / (opened.ms / 1000), 1),
    serverRssBeforeMB: roundTo(before / 2 ** 20, 1),
    serverRssAfterMB: roundTo(after / 2 ** 20, 1),
    rssKBPerConnection: opened.opened ? roundTo((after - before) / 1024 / opened.opened, 1) : 0,
    serverCpuUsPerConnection: opened.opened ? roundTo((serverCpuS * 1e6) / opened.opened, 1) : 0,
    cpu,
  };
}
