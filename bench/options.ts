/**
 * Command-line flags of `npm run bench`. Every scenario has its own parameters; the defaults are
 * sized so that a full run finishes within about two minutes on a 2-core machine, and `--smoke`
 * shrinks everything to a few seconds for CI.
 */
import { parseArgs } from 'node:util';
import { DIRECTORY_PAGE_SIZE_MAX } from '../src/protocol/limits.js';

/** In running order: connections first, while the servers' heaps hold nothing else. */
export const SCENARIOS = [
  'connections',
  'storm',
  'general',
  'private',
  'history',
  'rooms',
  'search',
  'directory',
  'login',
  'login-flood',
] as const;
export type ScenarioName = (typeof SCENARIOS)[number];
export const BATCH_MODES = ['off', 'on', 'mixed'] as const;
export type BatchMode = (typeof BATCH_MODES)[number];

export const STORM_MODES = ['drop', 'restart'] as const;
/** How the storm's sockets lose their connection: cut by the clients, or their instance killed. */
export type StormMode = (typeof STORM_MODES)[number];

export interface StormParams {
  /** Sockets that drop and come back at once. */
  connections: number;
  users: number;
  mode: StormMode;
  /** Messages per second posted to General from another socket while the storm goes on. */
  rate: number;
  /** How long the sender posts after the cut. */
  sendS: number;
  /** Sockets not back this long after the cut count as failed. */
  timeoutS: number;
}

export interface GeneralParams {
  users: number;
  /**
   * Sockets per user (tabs sharing a session): General's members online are users × tabs. Each
   * user's connection is announced to every socket, so N distinct users cost N² presence
   * frames while they connect; tabs reach 10,000 members without that setup cost.
   */
  tabs: number;
  senders: number;
  /** Offered rate over all senders, messages per second. */
  rate: number;
  durationS: number;
}

export interface PrivateParams {
  /** Users, paired into users/2 private rooms; every one of them sends. */
  users: number;
  rate: number;
  durationS: number;
}

export interface ConnectionsParams {
  /** Steps: sockets open at each (opened one step after the other, on the same servers). */
  steps: number[];
  /** Distinct users the sockets are spread over (each registration costs a bcrypt hash). */
  users: number;
  /** Sockets opening at the same time. */
  concurrency: number;
  /**
   * Messages per user per minute, each into the user's private room (shared with one other
   * bench user), while the step is held; 0: idle.
   */
  activity: number;
  /** How long each step is held (and measured) once its sockets are open. */
  holdS: number;
  /** Sockets opened and closed again before the baseline is read (see connections.ts). */
  warmUp: number;
}

export interface HistoryParams {
  messages: number;
  requests: number;
  pageSize: number;
  concurrency: number;
}

export interface RoomsParams {
  /** Steps: rooms per user. */
  counts: number[];
  /** GET /rooms/:userId requests timed per step, one at a time. */
  requests: number;
  /** Sockets of the user opened per step to measure memory per socket. */
  sockets: number;
}

export interface SearchParams {
  /** Messages indexed in the searched room. */
  messages: number;
  /** Of those, the newest indexed one at a time through the store (the timed writes). */
  indexSample: number;
  /** Timed requests per query shape. */
  requests: number;
  pageSize: number;
}

export interface DirectoryParams {
  /** Steps: public rooms in the directory (created cumulatively, smallest first). */
  counts: number[];
  /** Timed requests per query shape and step. */
  requests: number;
  pageSize: number;
}

export interface LoginParams {
  logins: number;
  concurrency: number;
}

export interface LoginFloodParams {
  /** Registrations the flood keeps in flight from one address. */
  parallel: number;
  durationS: number;
  /** Idle samples of the page and a sign-in, before the flood. */
  samples: number;
}

export interface BenchOptions {
  scenarios: ScenarioName[];
  /** Server instances started by the bench (ignored with --url). */
  instances: number;
  /** Existing deployment: base URLs of its instances, and the PIDs of its server processes. */
  urls: string[];
  pids: number[];
  /** Redis of an existing deployment (needed by the history scenario to fill a room). */
  redisUrl: string | null;
  /** The bench's servers share a Redis Cluster (3 masters + 3 replicas) instead of one Redis. */
  redisCluster: boolean;
  /** Load-generator processes the sockets are spread over. */
  agents: number;
  /** Run the server from dist/ (built when stale) or from the TypeScript sources through tsx. */
  serverMode: 'dist' | 'tsx';
  /** Checkout the bench's servers run from (another one measures an older version). */
  serverDir: string | null;
  /** Start the bench's servers with `node --cpu-prof`; profiles go to bench/profiles/. */
  cpuProf: boolean;
  /** Profile the load-generator processes too (bench/profiles/<date>-agent-N/). */
  agentProf: boolean;
  /**
   * Which clients opt in to batched `message.batch` events (this project's protocol extension):
   * none (the seed's protocol), all, or every other socket (both kinds in the same rooms).
   */
  batch: BatchMode;
  /** Longest wait for other processes to leave the cores alone before each measurement. */
  quietWaitS: number;
  /** Extra environment for the bench's servers, `NAME=value`. */
  serverEnv: Record<string, string>;
  /** Label in the results file name; null writes no file. */
  label: string | null;
  general: GeneralParams;
  private: PrivateParams;
  connections: ConnectionsParams;
  storm: StormParams;
  history: HistoryParams;
  rooms: RoomsParams;
  search: SearchParams;
  directory: DirectoryParams;
  login: LoginParams;
  loginFlood: LoginFloodParams;
}

export const DEFAULTS: Omit<
  BenchOptions,
  'scenarios' | 'urls' | 'pids' | 'redisUrl' | 'label' | 'serverDir'
> = {
  instances: 1,
  redisCluster: false,
  agents: 2,
  serverMode: 'dist',
  cpuProf: false,
  agentProf: false,
  batch: 'off',
  quietWaitS: 60,
  serverEnv: {},
  general: { users: 200, tabs: 1, senders: 20, rate: 800, durationS: 10 },
  private: { users: 200, rate: 1000, durationS: 10 },
  connections: {
    steps: [1000, 5000, 10_000],
    users: 100,
    concurrency: 100,
    activity: 0,
    holdS: 10,
    warmUp: 1000,
  },
  storm: { connections: 2000, users: 50, mode: 'drop', rate: 5, sendS: 8, timeoutS: 60 },
  history: { messages: 100_000, requests: 2000, pageSize: 50, concurrency: 1 },
  // 100 sockets: over 20, the heap growth after GC still varied 5-13 KB/socket between steps.
  rooms: { counts: [10, 100, 1000], requests: 200, sockets: 100 },
  // Seeding 1M messages and their index is most of this scenario's few minutes.
  search: { messages: 1_000_000, indexSample: 10_000, requests: 200, pageSize: 20 },
  // Creating 100k rooms through the store takes seconds, not minutes.
  directory: { counts: [1000, 10_000, 100_000], requests: 200, pageSize: 20 },
  login: { logins: 150, concurrency: 8 },
  loginFlood: { parallel: 40, durationS: 10, samples: 20 },
};

/** Tiny parameters: seconds, not minutes; used by the CI smoke test. */
export const SMOKE: Pick<
  BenchOptions,
  | 'general'
  | 'private'
  | 'connections'
  | 'storm'
  | 'history'
  | 'rooms'
  | 'search'
  | 'directory'
  | 'login'
  | 'loginFlood'
  | 'quietWaitS'
> = {
  quietWaitS: 0,
  general: { users: 6, tabs: 2, senders: 3, rate: 30, durationS: 1 },
  private: { users: 6, rate: 30, durationS: 1 },
  connections: { steps: [10, 20], users: 4, concurrency: 10, activity: 0, holdS: 1, warmUp: 4 },
  storm: { connections: 20, users: 4, mode: 'drop', rate: 10, sendS: 2, timeoutS: 30 },
  history: { messages: 2000, requests: 40, pageSize: 50, concurrency: 1 },
  rooms: { counts: [3], requests: 5, sockets: 2 },
  search: { messages: 2000, indexSample: 200, requests: 5, pageSize: 20 },
  directory: { counts: [30, 60], requests: 5, pageSize: 10 },
  login: { logins: 4, concurrency: 2 },
  loginFlood: { parallel: 4, durationS: 1, samples: 2 },
};

export const USAGE = `npm run bench -- [scenario ...] [flags]

Scenarios: ${SCENARIOS.join(', ')} (default: all)

Deployment
  --instances N            server instances started by the bench (default ${DEFAULTS.instances})
  --url URL[,URL...]       use an existing deployment instead (one URL per instance)
  --pids PID[,PID...]      its server processes, for CPU and memory figures
  --redis-url URL          its Redis (the history and search scenarios fill rooms there)
  --redis-cluster          the bench's servers on a Redis Cluster it starts (3 masters + 3 replicas)
  --server tsx|dist        run the bench's servers from sources or from dist/ (default dist)
  --server-dir DIR         run them from another checkout (e.g. a git worktree of an older commit)
  --server-env NAME=VALUE  extra environment for the bench's servers (repeatable)
  --cpu-prof               start the bench's servers with node --cpu-prof (bench/profiles/)
Load generator
  --agents N               load-generator processes (default ${DEFAULTS.agents})
  --agent-prof             profile them too (node --cpu-prof, bench/profiles/)
  --batch off|on|mixed     clients opt in to batched message.batch events: none (default),
                           all, or every other socket
  --quiet-wait S           before each measurement, wait up to S s for other processes on the
                           machine to go idle (default ${DEFAULTS.quietWaitS}; 0 = never wait)
Scenarios
  --general-users N --general-senders N --general-rate MSG_S --general-duration S
  --general-tabs N         general: sockets per user (default 1); members online = users × tabs
                           (e.g. --general-users 200 --general-tabs 50 for 10,000 members)
  --general-members N      general: N members online over --general-users users (sets the tabs;
                           N must be a multiple of the users)
  --private-users N --private-rate MSG_S --private-duration S
  --connections N[,N...]   connections: steps of open sockets (default 1000,5000,10000), spread
                           over the instances; at each, RSS, heap and CPU per connection
  --connections-users N    users the sockets belong to (default 100; tabs share a session)
  --connections-activity M messages per user per minute into the user's private room while each
                           step is held (default 0: idle); nothing may be lost
  --connections-hold S     how long each step is held and measured (default 10)
  --connections-concurrency N
  --connections-warm-up N  connections opened and closed before the baseline is read (default
                           1000; 0: none): a fresh process grows its heap's young generation
                           and the allocator's arenas once, on its first burst of connections
  --storm-connections N    storm: N sockets of instance 1 (default 2000) lose their connection at
  --storm-users N          once and come back by themselves, catching up as the web client does:
  --storm-mode drop|restart  cut by the clients (drop, default) or instance 1 killed and started
                           again (restart); time until 99 % / 100 % are back and caught up, loss,
                           peak CPU and RSS of servers and Redis, presence frames and PUBLISHes
  --storm-rate MSG_S       messages per second posted to General meanwhile (default 5)
  --storm-send S --storm-timeout S   post for S s after the cut (8); give up after S s (60)
  --history-messages N --history-requests N --history-page-size N --history-concurrency N
  --rooms-counts N[,N...]  rooms: rooms per user at each step (default 10,100,1000): room list
                           GET /rooms/:userId latency, socket connect time, heap per socket
                           after a full GC (and RSS growth)
  --rooms-requests N --rooms-sockets N   (default 200, 100)
  --search-messages N --search-index-sample N --search-requests N --search-page-size N
  --directory-counts N[,N...]  directory: public rooms at each step (default 1000,10000,100000),
                           created through the rooms store: GET /rooms search and paging latency
  --directory-requests N --directory-page-size N
  --login-count N --login-concurrency N
  --flood-parallel N --flood-duration S --flood-samples N
Output
  --label NAME             results go to bench/results/<date>-<label>.json (default: scenarios)
  --no-save                print only
  --smoke                  tiny parameters (a few seconds; what CI runs)
`;

const list = (value: string | undefined) =>
  value
    ? value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean)
    : [];

function positive(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) {
    throw new Error(`--${name} must be a positive number, got "${value}"`);
  }
  return parsed;
}

function batchMode(value: string | undefined): BatchMode {
  if (value === undefined) return DEFAULTS.batch;
  if (!(BATCH_MODES as readonly string[]).includes(value)) {
    throw new Error(`--batch must be one of ${BATCH_MODES.join(', ')}, got "${value}"`);
  }
  return value as BatchMode;
}

function stormMode(value: string): StormMode {
  if (!(STORM_MODES as readonly string[]).includes(value)) {
    throw new Error(`--storm-mode must be one of ${STORM_MODES.join(', ')}, got "${value}"`);
  }
  return value as StormMode;
}

export function parseOptions(argv: string[]): BenchOptions | 'help' {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      instances: { type: 'string' },
      url: { type: 'string' },
      pids: { type: 'string' },
      'redis-url': { type: 'string' },
      'redis-cluster': { type: 'boolean' },
      server: { type: 'string' },
      'server-dir': { type: 'string' },
      'server-env': { type: 'string', multiple: true },
      'cpu-prof': { type: 'boolean' },
      'agent-prof': { type: 'boolean' },
      agents: { type: 'string' },
      batch: { type: 'string' },
      'quiet-wait': { type: 'string' },
      'general-users': { type: 'string' },
      'general-tabs': { type: 'string' },
      'general-members': { type: 'string' },
      'general-senders': { type: 'string' },
      'general-rate': { type: 'string' },
      'general-duration': { type: 'string' },
      'private-users': { type: 'string' },
      'private-rate': { type: 'string' },
      'private-duration': { type: 'string' },
      connections: { type: 'string' },
      'connections-users': { type: 'string' },
      'connections-concurrency': { type: 'string' },
      'connections-activity': { type: 'string' },
      'connections-hold': { type: 'string' },
      'connections-warm-up': { type: 'string' },
      'storm-connections': { type: 'string' },
      'storm-users': { type: 'string' },
      'storm-mode': { type: 'string' },
      'storm-rate': { type: 'string' },
      'storm-send': { type: 'string' },
      'storm-timeout': { type: 'string' },
      'history-messages': { type: 'string' },
      'history-requests': { type: 'string' },
      'history-page-size': { type: 'string' },
      'history-concurrency': { type: 'string' },
      'rooms-counts': { type: 'string' },
      'rooms-requests': { type: 'string' },
      'rooms-sockets': { type: 'string' },
      'search-messages': { type: 'string' },
      'search-index-sample': { type: 'string' },
      'search-requests': { type: 'string' },
      'search-page-size': { type: 'string' },
      'directory-counts': { type: 'string' },
      'directory-requests': { type: 'string' },
      'directory-page-size': { type: 'string' },
      'login-count': { type: 'string' },
      'login-concurrency': { type: 'string' },
      'flood-parallel': { type: 'string' },
      'flood-duration': { type: 'string' },
      'flood-samples': { type: 'string' },
      label: { type: 'string' },
      'no-save': { type: 'boolean' },
      smoke: { type: 'boolean' },
    },
  });
  if (values.help) return 'help';

  const scenarios = positionals.length > 0 ? positionals : [...SCENARIOS];
  for (const name of scenarios) {
    if (!(SCENARIOS as readonly string[]).includes(name)) {
      throw new Error(`unknown scenario "${name}" (known: ${SCENARIOS.join(', ')})`);
    }
  }
  const base = values.smoke ? { ...DEFAULTS, ...SMOKE } : DEFAULTS;
  const serverMode = values.server ?? base.serverMode;
  if (serverMode !== 'dist' && serverMode !== 'tsx') {
    throw new Error(`--server must be dist or tsx, got "${serverMode}"`);
  }
  const serverEnv: Record<string, string> = {};
  for (const pair of values['server-env'] ?? []) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new Error(`--server-env wants NAME=VALUE, got "${pair}"`);
    serverEnv[pair.slice(0, at)] = pair.slice(at + 1);
  }
  const urls = list(values.url).map((url) => url.replace(/\/+$/, ''));
  const pids = list(values.pids).map((pid) => positive('pids', pid, 0));
  if (urls.length === 0 && pids.length > 0) throw new Error('--pids needs --url');

  const int = (name: keyof typeof values, fallback: number) =>
    Math.round(positive(name, values[name] as string | undefined, fallback));
  const num = (name: keyof typeof values, fallback: number) =>
    positive(name, values[name] as string | undefined, fallback);

  const options: BenchOptions = {
    scenarios: scenarios as ScenarioName[],
    instances: urls.length > 0 ? urls.length : int('instances', base.instances),
    urls,
    pids,
    redisUrl: values['redis-url'] ?? null,
    redisCluster: values['redis-cluster'] ?? false,
    agents: int('agents', base.agents),
    serverMode,
    serverDir: values['server-dir'] ?? null,
    cpuProf: values['cpu-prof'] ?? false,
    agentProf: values['agent-prof'] ?? false,
    batch: batchMode(values.batch),
    quietWaitS:
      values['quiet-wait'] === undefined ? base.quietWaitS : Number(values['quiet-wait']) || 0,
    serverEnv,
    label: values['no-save']
      ? null
      : (values.label ?? (values.smoke ? 'smoke' : scenarios.join('-'))),
    general: {
      users: int('general-users', base.general.users),
      tabs: int('general-tabs', base.general.tabs),
      senders: int('general-senders', base.general.senders),
      rate: num('general-rate', base.general.rate),
      durationS: num('general-duration', base.general.durationS),
    },
    private: {
      users: int('private-users', base.private.users),
      rate: num('private-rate', base.private.rate),
      durationS: num('private-duration', base.private.durationS),
    },
    connections: {
      steps: values.connections
        ? list(values.connections).map((n) => Math.round(positive('connections', n, 0)))
        : base.connections.steps,
      users: int('connections-users', base.connections.users),
      concurrency: int('connections-concurrency', base.connections.concurrency),
      activity:
        values['connections-activity'] === undefined
          ? base.connections.activity
          : Number(values['connections-activity']) || 0,
      holdS: num('connections-hold', base.connections.holdS),
      warmUp:
        values['connections-warm-up'] === undefined
          ? base.connections.warmUp
          : Math.max(0, Math.round(Number(values['connections-warm-up']) || 0)),
    },
    storm: {
      connections: int('storm-connections', base.storm.connections),
      users: int('storm-users', base.storm.users),
      mode: stormMode(values['storm-mode'] ?? base.storm.mode),
      rate: num('storm-rate', base.storm.rate),
      sendS: num('storm-send', base.storm.sendS),
      timeoutS: num('storm-timeout', base.storm.timeoutS),
    },
    history: {
      messages: int('history-messages', base.history.messages),
      requests: int('history-requests', base.history.requests),
      pageSize: int('history-page-size', base.history.pageSize),
      concurrency: int('history-concurrency', base.history.concurrency),
    },
    rooms: {
      counts: values['rooms-counts']
        ? list(values['rooms-counts']).map((n) => Math.round(positive('rooms-counts', n, 0)))
        : base.rooms.counts,
      requests: int('rooms-requests', base.rooms.requests),
      sockets: int('rooms-sockets', base.rooms.sockets),
    },
    search: {
      messages: int('search-messages', base.search.messages),
      indexSample: int('search-index-sample', base.search.indexSample),
      requests: int('search-requests', base.search.requests),
      pageSize: int('search-page-size', base.search.pageSize),
    },
    directory: {
      counts: values['directory-counts']
        ? list(values['directory-counts']).map((n) =>
            Math.round(positive('directory-counts', n, 0)),
          )
        : base.directory.counts,
      requests: int('directory-requests', base.directory.requests),
      pageSize: int('directory-page-size', base.directory.pageSize),
    },
    login: {
      logins: int('login-count', base.login.logins),
      concurrency: int('login-concurrency', base.login.concurrency),
    },
    loginFlood: {
      parallel: int('flood-parallel', base.loginFlood.parallel),
      durationS: num('flood-duration', base.loginFlood.durationS),
      samples: int('flood-samples', base.loginFlood.samples),
    },
  };
  if (values['general-members'] !== undefined) {
    const members = int('general-members', 0);
    if (members % options.general.users !== 0) {
      throw new Error('--general-members must be a multiple of --general-users');
    }
    options.general.tabs = members / options.general.users;
  }
  if (options.general.senders > options.general.users) {
    throw new Error('--general-senders cannot exceed --general-users');
  }
  if (options.private.users % 2 !== 0) throw new Error('--private-users must be even');
  if (options.directory.pageSize > DIRECTORY_PAGE_SIZE_MAX) {
    throw new Error(`--directory-page-size is at most ${DIRECTORY_PAGE_SIZE_MAX}`);
  }
  checkSocketLimits(options);
  return options;
}

/**
 * A process may hold at most this many file descriptors here (the hard limit, which cannot be
 * raised), and each socket is one on both ends: a step beyond it needs more server instances and
 * more load-generator processes, which is better said at once than found out as EMFILE midway.
 */
export const FD_HARD_LIMIT = 20_000;
/** Descriptors a process keeps for itself (Redis connections, files, the IPC channel...). */
const FD_RESERVE = 500;

function checkSocketLimits(options: BenchOptions): void {
  if (!options.scenarios.includes('connections')) return;
  const most = Math.max(...options.connections.steps);
  const perProcess = FD_HARD_LIMIT - FD_RESERVE;
  const needed = Math.ceil(most / perProcess);
  const problems: string[] = [];
  if (options.instances < needed) {
    problems.push(`--instances ${needed} or more (it is ${options.instances})`);
  }
  if (options.agents < needed)
    problems.push(`--agents ${needed} or more (it is ${options.agents})`);
  if (problems.length > 0) {
    throw new Error(
      `--connections ${most}: a process may hold at most ${FD_HARD_LIMIT} file descriptors ` +
        `(the hard limit here, which cannot be raised), so ${most} sockets need ` +
        `${problems.join(' and ')}`,
    );
  }
}
