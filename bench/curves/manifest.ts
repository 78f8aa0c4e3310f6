/**
 * The curves `npm run bench:curves` runs and draws, and the issue-12 targets it checks. To add a
 * curve: append a `curve({...})` to CURVES (a scenario, the flag swept and its steps, fixed
 * flags, the figures to tabulate and the one to plot); to check a target against it, append to
 * TARGETS. The default steps are sized so that the whole run stays under ~25 minutes on 2 cores.
 */
import { type Curve, type ResultOf, type SavedCurves, type Target, curve } from './curve.js';

const redisUsPer = (redisS: number | undefined, count: number) =>
  redisS === undefined || count === 0 ? undefined : (redisS * 1e6) / count;

type MessagingMetric = {
  label: string;
  value: (result: ResultOf<'general' | 'private'>) => number | undefined;
};

/** A General room's figures, per delivery (the members and instances curves). */
const GENERAL_METRICS: MessagingMetric[] = [
  { label: 'msg/s', value: (r) => r.messagesPerS },
  { label: 'deliveries/s', value: (r) => r.deliveriesPerS },
  { label: 'lost', value: (r) => r.lost },
  { label: 'p99 (ms)', value: (r) => r.latencyMs.p99 },
  { label: 'server µs/delivery', value: (r) => r.serverCpuUsPerDelivery },
  // Without the servers' CPU with the same sockets and nothing sent (timers, pings).
  { label: 'above idle µs/delivery', value: (r) => r.serverCpuUsPerDeliveryAboveIdle },
  { label: 'Redis µs/delivery', value: (r) => redisUsPer(r.cpu.redis?.s, r.deliveries) },
];

/** Private messages' figures, per message (the rate and instances curves). */
const PRIVATE_METRICS: MessagingMetric[] = [
  { label: 'msg/s', value: (r) => r.messagesPerS },
  { label: 'lost', value: (r) => r.lost },
  { label: 'p99 (ms)', value: (r) => r.latencyMs.p99 },
  { label: 'server µs/msg', value: (r) => r.serverCpuUsPerMessage },
  { label: 'Redis µs/msg', value: (r) => redisUsPer(r.cpu.redis?.s, r.messages) },
];

/**
 * The charts' "before" line: the newest result of each step saved before this date (result
 * files are named by their date). The whole set was run on the quiet machine at 16:35 UTC, then
 * again at 17:00 after the sockets shared their event listeners and let go of their handshake
 * request (8ebe576, 72cb22e) and the bench stopped arming a timer per Redis command (60d8e67).
 */
export const BEFORE = {
  savedBefore: '2026-11-30T16-50',
  line: 'the 16:35 run',
  meaning:
    'the same curves run at 16:35 UTC on the quiet machine, before the sockets shared their ' +
    'event listeners and let go of their handshake request (8ebe576, 72cb22e) and before the ' +
    'bench stopped arming a timer per Redis command of its own (60d8e67); where nothing changed ' +
    'between the two runs, the two lines show how much one run differs from the next.',
};

export const CURVES: Curve[] = [
  ...([0, 1] as const).map((activity) =>
    curve({
      name: activity === 0 ? 'connections' : 'connections-active',
      title:
        activity === 0
          ? 'Idle connections: memory and CPU per connection'
          : 'Connections with 1 message per user per minute: memory and CPU per connection',
      scenario: 'connections',
      flag: '--connections',
      // 20k sockets need two server processes and two agents (20,000 descriptors per process).
      steps: [1000, 5000, 10000, 20000],
      smokeSteps: [10, 20],
      args: [
        '--instances',
        '2',
        '--agents',
        '2',
        '--connections-users',
        '1000',
        '--connections-activity',
        String(activity),
      ],
      xLabel: `${activity === 0 ? 'idle ' : ''}connections (2 instances)`,
      metrics: [
        { label: 'opened', value: (r) => r.opened },
        { label: 'failed', value: (r) => r.failed },
        { label: 'lost', value: (r) => r.steps.at(-1)?.lost },
        { label: 'conn/s', value: (r) => r.connectionsPerS },
        { label: 'KB/conn', value: (r) => r.rssKBPerConnection },
        {
          label: 'heap KB/conn',
          value: (r) => r.steps.at(-1)?.heapKBPerConnection ?? undefined,
        },
        { label: 'server µs/conn', value: (r) => r.serverCpuUsPerConnection },
        {
          label: 'server µs/conn/s held',
          value: (r) => r.steps.at(-1)?.serverCpuUsPerConnectionPerS,
        },
        { label: 'server RSS after (MB)', value: (r) => r.serverRssAfterMB },
      ],
      plot: { y: 'KB/conn', part: 'heap KB/conn', yLabel: 'server KB per connection (RSS, heap)' },
    }),
  ),
  ...(['drop', 'restart'] as const).map((mode) =>
    curve({
      name: mode === 'drop' ? 'storm' : 'storm-restart',
      title:
        mode === 'drop'
          ? 'Reconnect storm: every socket of an instance loses its connection at once'
          : 'Reconnect storm: the instance is killed and started again',
      scenario: 'storm',
      flag: '--storm-connections',
      steps: [1000, 5000],
      smokeSteps: [10, 20],
      args: ['--storm-users', '1000', '--storm-mode', mode, '--batch', 'on'],
      xLabel: `sockets reconnecting at once (1 instance, ${mode})`,
      metrics: [
        { label: 'back', value: (r) => r.reconnected },
        { label: 'failed', value: (r) => r.failed },
        { label: 'lost', value: (r) => r.lost },
        { label: '99 % back (ms)', value: (r) => r.back99Ms ?? undefined },
        { label: 'all back (ms)', value: (r) => r.allBackMs ?? undefined },
        { label: 'presence frames/reconnect', value: (r) => r.presenceFramesPerReconnect },
        { label: 'PUBLISH/reconnect', value: (r) => r.redisPublishesPerReconnect ?? undefined },
        { label: 'server µs/reconnect', value: (r) => r.serverCpuUsPerReconnect },
        { label: 'server peak cores', value: (r) => r.serverPeakCores },
        { label: 'peak RSS (MB)', value: (r) => r.serverRssPeakMB },
        { label: 'Redis peak cores', value: (r) => r.redisPeakCores ?? undefined },
      ],
      plot: { y: '99 % back (ms)', part: 'all back (ms)', yLabel: 'ms until back and caught up' },
    }),
  ),
  curve({
    name: 'general-members',
    title: 'Big rooms: General with more and more members at a fixed message rate',
    scenario: 'general',
    // Members are 200 users' tabs: N distinct users would cost N² presence frames while they
    // connect, which is the storm's subject, not this one's.
    flag: '--general-members',
    steps: [200, 1000, 5000, 10000],
    smokeSteps: [6, 12],
    // 4 msg/s: 40,000 deliveries a second at 10k members, what the load generator can receive
    // beside the server on 2 cores (it needs ≈ 15 µs of CPU per delivery at this rate).
    args: [
      '--general-users',
      '200',
      '--general-senders',
      '10',
      '--general-rate',
      '4',
      '--general-duration',
      '15',
    ],
    smokeArgs: ['--general-senders', '2'],
    xLabel: 'members of General online (200 users × tabs, 4 msg/s)',
    metrics: GENERAL_METRICS,
    plot: {
      y: 'server µs/delivery',
      part: 'above idle µs/delivery',
      yLabel: 'server CPU µs per delivery (above idle dashed)',
      logX: true,
    },
  }),
  curve({
    name: 'instances',
    title: 'Instances: the same General load on 1, 2 and 3 instances',
    scenario: 'general',
    flag: '--instances',
    steps: [1, 2, 3],
    smokeSteps: [1, 2],
    args: ['--general-users', '200', '--general-rate', '400'],
    xLabel: 'server instances (General, 200 users, 400 msg/s)',
    metrics: GENERAL_METRICS,
    plot: { y: 'server µs/delivery', part: 'Redis µs/delivery', yLabel: 'CPU µs per delivery' },
  }),
  curve({
    name: 'instances-private',
    title: 'Instances: the same private load on 1, 2 and 3 instances',
    scenario: 'private',
    flag: '--instances',
    steps: [1, 2, 3],
    smokeSteps: [1, 2],
    args: ['--private-users', '200', '--private-rate', '1000'],
    smokeArgs: [],
    xLabel: 'server instances (private, 200 users, 1,000 msg/s)',
    metrics: PRIVATE_METRICS,
    plot: { y: 'server µs/msg', part: 'Redis µs/msg', yLabel: 'CPU µs per message' },
  }),
  curve({
    name: 'private-rate',
    title: 'The cost of one private message against the offered rate',
    scenario: 'private',
    flag: '--private-rate',
    steps: [250, 500, 1000, 2000],
    smokeSteps: [10, 20],
    args: ['--private-users', '200'],
    xLabel: 'offered private messages/s (200 users)',
    metrics: PRIVATE_METRICS,
    plot: { y: 'server µs/msg', part: 'Redis µs/msg', yLabel: 'CPU µs per message' },
  }),
  curve({
    name: 'rooms-per-user',
    title: 'Many rooms per user: room list, connecting, memory per socket',
    scenario: 'rooms',
    flag: '--rooms-counts',
    steps: [10, 100, 1000],
    smokeSteps: [2, 4],
    xLabel: 'rooms per user',
    metrics: [
      { label: 'list p50 (ms)', value: (r) => r.steps[0]?.listMs.p50 },
      { label: 'list p99 (ms)', value: (r) => r.steps[0]?.listMs.p99 },
      { label: 'server µs/list', value: (r) => r.steps[0]?.serverCpuUsPerList },
      { label: 'connect p50 (ms)', value: (r) => r.steps[0]?.connectMs.p50 },
      // After a full GC in the servers (the RSS difference, kept in the results, is mostly garbage).
      { label: 'heap KB/socket', value: (r) => r.steps[0]?.heapKBPerSocket ?? undefined },
    ],
    plot: { y: 'list p99 (ms)', yLabel: 'room list p99 ms', logX: true },
  }),
  curve({
    name: 'history',
    title: 'History: a page of 50 from rooms of more and more messages',
    scenario: 'history',
    flag: '--history-messages',
    steps: [10_000, 100_000, 1_000_000],
    smokeSteps: [500, 1000],
    args: ['--history-requests', '1000'],
    smokeArgs: [],
    xLabel: 'messages in the room',
    metrics: [
      { label: 'pages/s', value: (r) => r.requestsPerS },
      { label: 'failed', value: (r) => r.failed },
      { label: 'p50 (ms)', value: (r) => r.latencyMs.p50 },
      { label: 'p99 (ms)', value: (r) => r.latencyMs.p99 },
      { label: 'server µs/page', value: (r) => r.serverCpuUsPerRequest },
    ],
    plot: {
      y: 'p99 (ms)',
      part: 'p50 (ms)',
      yLabel: 'page latency ms (p99, p50 dashed)',
      logX: true,
    },
  }),
  curve({
    name: 'directory',
    title: 'Directory: a page of the public rooms, searched and paged, against their number',
    scenario: 'directory',
    flag: '--directory-counts',
    steps: [1000, 10_000, 100_000],
    smokeSteps: [20, 40],
    args: ['--directory-requests', '1000'],
    smokeArgs: [],
    xLabel: 'public rooms in the directory',
    metrics: [
      { label: 'failed', value: (r) => r.steps[0]?.failed },
      { label: 'all p99 (ms)', value: (r) => r.steps[0]?.queries.all.latencyMs.p99 },
      { label: 'syllable p50 (ms)', value: (r) => r.steps[0]?.queries.common.latencyMs.p50 },
      { label: 'syllable p99 (ms)', value: (r) => r.steps[0]?.queries.common.latencyMs.p99 },
      { label: 'whole name p99 (ms)', value: (r) => r.steps[0]?.queries.exact.latencyMs.p99 },
      { label: 'next pages p99 (ms)', value: (r) => r.steps[0]?.queries.pages.latencyMs.p99 },
      {
        label: 'worst p99 (ms)',
        value: (r) => {
          const queries = r.steps[0]?.queries;
          return queries && Math.max(...Object.values(queries).map((q) => q.latencyMs.p99));
        },
      },
      { label: 'server µs/page', value: (r) => r.steps[0]?.serverCpuUsPerRequest },
    ],
    plot: {
      y: 'worst p99 (ms)',
      part: 'syllable p50 (ms)',
      yLabel: 'page latency ms (worst query p99, search p50 dashed)',
      logX: true,
    },
  }),
];

const value = (saved: SavedCurves, name: string, step: number, label: string) => {
  const found = saved.step(name, step);
  const metric = CURVES.find((c) => c.name === name)?.metrics.find((m) => m.label === label);
  if (!found || !metric) return undefined;
  const measured = metric.value(found.result);
  return measured === undefined ? undefined : { measured, from: `${name} ${step}`, found };
};

/** `measured ≤ limit` (or `<` when `strictly`) on one step's figure. */
function atMost(
  text: string,
  name: string,
  step: number,
  label: string,
  limit: number,
  strictly = false,
): Target {
  return {
    text,
    evaluate: (saved) => {
      const found = value(saved, name, step, label);
      if (!found) return null;
      return {
        measured: `${round(found.measured)} ${label}`,
        met: strictly ? found.measured < limit : found.measured <= limit,
        from: found.from,
        steps: [found.found],
      };
    },
  };
}

/** One step's figure against another's: `measured ≤ factor × base`. */
function ratioAtMost(
  text: string,
  name: string,
  label: string,
  steps: { base: number; at: number },
  factor: number,
): Target {
  return {
    text,
    evaluate: (saved) => {
      const base = value(saved, name, steps.base, label);
      const at = value(saved, name, steps.at, label);
      if (!base || !at || base.measured === 0) return null;
      const ratio = at.measured / base.measured;
      return {
        measured: `${round(ratio)}× (${round(at.measured)} at ${steps.at} / ${round(base.measured)} at ${steps.base} ${label})`,
        met: ratio <= factor,
        from: `${name} ${steps.base}, ${steps.at}`,
        steps: [base.found, at.found],
      };
    },
  };
}

const round = (n: number) => (Math.abs(n) >= 100 ? Math.round(n) : Math.round(n * 100) / 100);

export const TARGETS: Target[] = [
  {
    text: 'Memory per idle connection flat from 1k to 20k connections, ≤ 15 KB',
    evaluate: (saved) => {
      const steps = saved.steps('connections');
      if (steps.length === 0) return null;
      const perConnection = steps.map((s) =>
        s.result.scenario === 'connections' ? s.result.rssKBPerConnection : NaN,
      );
      const worst = Math.max(...perConnection);
      return {
        measured: `${perConnection.map(round).join(' / ')} KB/conn at ${steps.map((s) => s.step).join(' / ')}`,
        met: worst <= 15 && steps.some((s) => s.step >= 20000),
        from: 'connections',
        steps,
      };
    },
  },
  ...(['storm', 'storm-restart'] as const).flatMap((name) => [
    atMost(
      `Storm of 5,000 clients (${name}): 99 % back and caught up within 10 s (one instance)`,
      name,
      5000,
      '99 % back (ms)',
      10_000,
    ),
    atMost(
      `Storm of 5,000 clients (${name}): 100 % back within 30 s (one instance)`,
      name,
      5000,
      'all back (ms)',
      30_000,
    ),
    atMost(`Storm of 5,000 clients (${name}): no message lost`, name, 5000, 'lost', 0),
  ]),
  // Above the servers' idle CPU: at 4 msg/s, timers and pings are most of a 200-member room's
  // total, which would flatter every bigger room.
  ratioAtMost(
    'CPU per General delivery at 5k members ≤ 1.2× the figure at 200 (above idle)',
    'general-members',
    'above idle µs/delivery',
    { base: 200, at: 5000 },
    1.2,
  ),
  // "Not growing": heap after a full GC, within 1.2× (the 1.2 is ours).
  ratioAtMost(
    'Memory per socket not growing with rooms per user (heap after GC, 1,000 rooms ≤ 1.2× 10 rooms)',
    'rooms-per-user',
    'heap KB/socket',
    { base: 10, at: 1000 },
    1.2,
  ),
  atMost(
    'Room list of a user in 1,000 rooms < 50 ms p99',
    'rooms-per-user',
    1000,
    'list p99 (ms)',
    50,
    true,
  ),
  atMost('A page from a 1M-message room < 5 ms p99', 'history', 1_000_000, 'p99 (ms)', 5, true),
  atMost(
    'Directory search over 100k rooms < 10 ms p99 (the worst of its four query shapes)',
    'directory',
    100_000,
    'worst p99 (ms)',
    10,
    true,
  ),
  ratioAtMost(
    '3 instances cost at most 1.15× one instance per delivery',
    'instances',
    'server µs/delivery',
    { base: 1, at: 3 },
    1.15,
  ),
  atMost(
    'A private message at 1,000 msg/s: ≤ 150 µs of server CPU',
    'private-rate',
    1000,
    'server µs/msg',
    150,
  ),
];
