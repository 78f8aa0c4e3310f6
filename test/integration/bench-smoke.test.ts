/**
 * The load generator with tiny parameters, as CI runs it: two server instances on their own Redis,
 * half of the sockets on the batched-message extension and half on the seed's protocol, every
 * scenario once. It checks the delivery guarantees the bench measures — nothing lost, nothing
 * twice, nothing outside its room — and that every scenario ran; timings are not asserted.
 */
import { describe, expect, it } from 'vitest';
import { runBench } from '../../bench/bench.js';
import { type BenchOptions, parseOptions } from '../../bench/options.js';
import type { ScenarioResult } from '../../bench/report.js';
import type { StormResult } from '../../bench/scenarios/storm.js';

function smokeOptions(...extra: string[]): BenchOptions {
  const options = parseOptions([
    ...extra,
    '--smoke',
    '--instances',
    '2',
    '--batch',
    'mixed',
    '--server',
    'tsx',
    '--no-save',
  ]);
  if (options === 'help') throw new Error('unexpected --help');
  return options;
}

function pick<S extends ScenarioResult['scenario']>(results: ScenarioResult[], scenario: S) {
  const result = results.find((r) => r.scenario === scenario);
  if (!result) throw new Error(`no result for ${scenario}`);
  return result as Extract<ScenarioResult, { scenario: S }>;
}

/** Every socket of the storm came back and caught up, with every message and nothing twice. */
function expectEveryoneBack(storm: StormResult, options: BenchOptions, mode: StormResult['mode']) {
  expect(storm.messages, 'storm: messages accepted').toBeGreaterThan(0);
  expect(storm).toMatchObject({
    mode,
    reconnected: options.storm.connections,
    failed: 0,
    lost: 0,
    duplicates: 0,
    leaks: 0,
    crashed: false,
  });
}

describe('npm run bench -- --smoke', () => {
  it('runs every scenario on two instances with no loss, duplicate or leak', async () => {
    const options = smokeOptions();
    const { results } = await runBench(options);
    expect(results.map((r) => r.scenario)).toEqual(options.scenarios);

    for (const scenario of ['general', 'private'] as const) {
      const result = pick(results, scenario);
      // General: every tab of every user; a private room: its two members' sockets.
      const audience = scenario === 'general' ? result.users * options.general.tabs : 2;
      expect(result.messages, `${scenario}: messages accepted`).toBeGreaterThan(0);
      expect(result, scenario).toMatchObject({
        refused: {},
        unacked: 0,
        lost: 0,
        duplicates: 0,
        leaks: 0,
        misrouted: 0,
        unaccepted: 0,
        disconnects: 0,
        expectedDeliveries: result.messages * audience,
        deliveries: result.messages * audience,
      });
    }

    const connections = pick(results, 'connections');
    expect(connections).toMatchObject({
      opened: Math.max(...options.connections.steps),
      failed: 0,
    });
    expect(connections.steps.map((step) => step.connections)).toEqual(options.connections.steps);
    expectEveryoneBack(pick(results, 'storm'), options, 'drop');
    const history = pick(results, 'history');
    expect(history).toMatchObject({ roomMessages: options.history.messages, failed: 0 });
    const rooms = pick(results, 'rooms');
    for (const [i, count] of options.rooms.counts.entries()) {
      // Its rooms and General, each answered by the list.
      expect(rooms.steps[i]).toMatchObject({ rooms: count, listed: count + 1 });
      expect(rooms.steps[i]?.sockets).toBe(options.rooms.sockets);
      // The bench's servers run with an inspector for it: memory per socket is read after a GC.
      expect(rooms.steps[i]?.heapKBPerSocket).toEqual(expect.any(Number));
    }
    const search = pick(results, 'search');
    expect(search).toMatchObject({ roomMessages: options.search.messages, failed: 0 });
    // The commonest word is in most messages: a full first page, in the room and over all rooms.
    expect(search.queries.common.firstPageHits).toBe(options.search.pageSize);
    expect(search.queries.allRooms.firstPageHits).toBe(options.search.pageSize);
    const directory = pick(results, 'directory');
    for (const [i, count] of options.directory.counts.entries()) {
      const step = directory.steps[i];
      expect(step).toMatchObject({ rooms: count, failed: 0 });
      expect(step?.indexed).toBeGreaterThanOrEqual(count);
      // A full first page of every room, and one room found by its whole name.
      expect(step?.queries.all.firstPageRooms).toBe(options.directory.pageSize);
      expect(step?.queries.exact.firstPageRooms).toBe(1);
    }
    expect(pick(results, 'login')).toMatchObject({ logins: options.login.logins, failed: 0 });
    const flood = pick(results, 'login-flood');
    expect(flood.flood.failed).toBe(0);
    expect(flood.flood.registered).toBeGreaterThan(0);
  }, 180_000);

  it('brings every socket back after an instance restart, and loses nothing while connections are active', async () => {
    const options = smokeOptions(
      'storm',
      'connections',
      '--storm-mode',
      'restart',
      '--connections-activity',
      '60',
    );
    const { results } = await runBench(options);

    const storm = pick(results, 'storm');
    expectEveryoneBack(storm, options, 'restart');
    expect(storm.restartMs, 'the instance was restarted').not.toBeNull();
    const connections = pick(results, 'connections');
    for (const step of connections.steps) {
      expect(step.messages, `${step.connections} connections: messages`).toBeGreaterThan(0);
      expect(step).toMatchObject({ failed: 0, lost: 0, duplicates: 0, leaks: 0 });
    }
  }, 120_000);
});
