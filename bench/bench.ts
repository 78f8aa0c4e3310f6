/**
 * Runs the chosen scenarios against a deployment and returns their results: the CLI (run.ts)
 * prints and saves them, the smoke test checks them.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { AgentPool } from './agents.js';
import { BenchContext, type ProfileWindow } from './context.js';
import { type Deployment, PROFILE_DIR, startDeployment } from './deployment.js';
import type { BenchOptions, ScenarioName } from './options.js';
import { summarizeFile } from './profile-summary.js';
import type { ScenarioResult } from './report.js';
import { runConnections } from './scenarios/connections.js';
import { runDirectory } from './scenarios/directory.js';
import { runHistory } from './scenarios/history.js';
import { runLoginFlood } from './scenarios/login-flood.js';
import { runLogin } from './scenarios/login.js';
import { runMessaging } from './scenarios/messaging.js';
import { runRooms } from './scenarios/rooms.js';
import { runSearch } from './scenarios/search.js';
import { runStorm } from './scenarios/storm.js';

const RUNNERS: Record<ScenarioName, (ctx: BenchContext) => Promise<ScenarioResult>> = {
  general: (ctx) => runMessaging(ctx, 'general'),
  private: (ctx) => runMessaging(ctx, 'private'),
  connections: runConnections,
  storm: runStorm,
  history: runHistory,
  rooms: runRooms,
  search: runSearch,
  directory: runDirectory,
  login: runLogin,
  'login-flood': runLoginFlood,
};

export interface BenchRun {
  deployment: string;
  results: ScenarioResult[];
}

export async function runBench(
  options: BenchOptions,
  onResult: (result: ScenarioResult) => void = () => undefined,
): Promise<BenchRun> {
  let deployment: Deployment | null = null;
  let agents: AgentPool | null = null;
  let ctx: BenchContext | null = null;
  try {
    deployment = await startDeployment(options);
    agents = await AgentPool.start(options.agents, options.agentProf ? PROFILE_DIR : null);
    ctx = new BenchContext(options, deployment, agents);
    const results: ScenarioResult[] = [];
    for (const name of options.scenarios) {
      console.error(`bench: running ${name}...`);
      const result = await RUNNERS[name](ctx);
      await ctx.recordLoadGeneratorLag();
      results.push(result);
      onResult(result);
    }
    return { deployment: deployment.description, results };
  } finally {
    ctx?.close();
    await agents?.stop();
    await deployment?.stop();
    if (deployment && ctx) summarizeProfiles(deployment.profileFiles, ctx.windows);
  }
}

/** Cuts each server's CPU profile down to each scenario's window, next to the profile. */
function summarizeProfiles(files: string[], windows: ProfileWindow[]): void {
  for (const file of files) {
    if (!existsSync(file)) continue;
    for (const window of windows) {
      const out = file.replace(/\.cpuprofile$/, `.${window.scenario}.txt`);
      writeFileSync(
        out,
        `${summarizeFile(file, 40, { fromUs: window.startUs, toUs: window.endUs })}\n`,
      );
      console.error(`bench: profile of ${window.scenario} → ${out}`);
    }
  }
}
