/**
 * The chat on a real Redis Cluster (3 masters + 3 replicas, started once for this file), with
 * REDIS_CLUSTER_NODES pointing two server processes at it.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type RedisClusterDeployment, startRedisCluster } from '../../scripts/launcher/index.js';
import { CLUSTER_ENV, type Tab, messageIds, openTab, sent, signIn } from '../support/cluster.js';
import { type ServerProcess, startServerProcesses } from '../support/server.js';
import { waitFor } from '../support/wait.js';

let cluster: RedisClusterDeployment;
let servers: ServerProcess[];
const tabs: Tab[] = [];

beforeAll(async () => {
  cluster = await startRedisCluster();
  servers = await startServerProcesses(2, cluster, CLUSTER_ENV);
}, 90_000);

afterEach(() => {
  for (const tab of tabs.splice(0)) tab.close();
});

afterAll(async () => {
  await Promise.all((servers ?? []).map((server) => server.stop()));
  await cluster?.stop();
});

const server = (i: number) => servers[i] as ServerProcess;

describe('on a Redis Cluster', () => {
  it('signs in with the demo data and delivers across instances', async () => {
    const pablo = await signIn(server(0).url, 'Pablo');
    const joe = await signIn(server(1).url, 'Joe');
    const pabloTab = await openTab(server(0), pablo);
    const joeTab = await openTab(server(1), joe);
    tabs.push(pabloTab, joeTab);
    const message = await sent(pabloTab, '0', 'hello from a cluster');
    await waitFor('Joe to receive it on the other instance', () =>
      messageIds(joeTab).includes(message.id),
    );
    const ready = await fetch(`${server(1).url}/readyz`);
    expect(ready.status).toBe(200);
  });
});
