/**
 * The container image and compose.yaml, without a container engine: the runtime stage's own
 * instructions are played in a plain copy of the checkout (its COPY, its `npm ci`, its ENV, its
 * CMD and HEALTHCHECK), and the files are read for what `docker compose up` relies on. The build
 * stage's work is `npm run build`, which `npm test` has done in this checkout.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { freePort } from '../../src/server/kernel/embedded-redis.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';
import { waitFor } from '../support/wait.js';

interface Instruction {
  keyword: string;
  args: string;
}

interface Stage {
  name: string;
  instructions: Instruction[];
}

/** The Dockerfile's stages and their instructions (continuation lines joined, comments left out). */
function dockerfileStages(text: string): Stage[] {
  const stages: Stage[] = [];
  const lines = text.replace(/\\\n\s*/g, ' ').split('\n');
  for (const line of lines.map((l) => l.trim())) {
    if (!line || line.startsWith('#')) continue;
    const [, keyword = '', args = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    if (keyword.toUpperCase() === 'FROM') {
      stages.push({ name: /\bAS\s+(\S+)/i.exec(args)?.[1] ?? '', instructions: [] });
    }
    stages.at(-1)?.instructions.push({ keyword: keyword.toUpperCase(), args });
  }
  return stages;
}

/** The copy's cold start, on a machine busy with other tests. */
const SERVER_READY_TIMEOUT_MS = 60_000;

const dockerfile = dockerfileStages(readFileSync('Dockerfile', 'utf8'));
const runtime = dockerfile.at(-1) as Stage;
const all = (stage: Stage, keyword: string) =>
  stage.instructions.filter((instruction) => instruction.keyword === keyword);
const execForm = (args: string) => JSON.parse(args) as string[];

/** The exec-form command of the runtime stage's HEALTHCHECK (after its --options). */
function healthcheckCommand(): string[] {
  const [healthcheck] = all(runtime, 'HEALTHCHECK');
  const command = /\bCMD\s+(\[.*\])$/.exec(healthcheck?.args ?? '')?.[1];
  if (!command) throw new Error('no exec-form HEALTHCHECK CMD in the runtime stage');
  return execForm(command);
}

describe('Dockerfile', () => {
  it('builds with every dependency, and runs as a non-root user with NODE_ENV=production', () => {
    expect(dockerfile.length).toBeGreaterThanOrEqual(2);
    const build = dockerfile.find((stage) => stage.name === 'build');
    const buildRuns = all(build as Stage, 'RUN').map((run) => run.args);
    expect(buildRuns.some((run) => /^npm ci\b/.test(run) && !run.includes('--omit'))).toBe(true);
    expect(buildRuns).toContain('npm run build'); // server and web client
    // Every file the build stage copies exists and is not left out of the build context.
    const ignored = readFileSync('.dockerignore', 'utf8')
      .split('\n')
      .filter((line) => line.trim() && !line.startsWith('#'));
    for (const copy of all(build as Stage, 'COPY')) {
      for (const source of copy.args.split(/\s+/).slice(0, -1)) {
        expect(existsSync(source), `${source} (COPY in the build stage)`).toBe(true);
        expect(ignored.some((entry) => source === entry || source.startsWith(`${entry}/`))).toBe(
          false,
        );
      }
    }

    expect(all(runtime, 'ENV').map((env) => env.args)).toContain('NODE_ENV=production');
    const [user] = all(runtime, 'USER');
    expect(user?.args).toBeTruthy();
    expect(['root', '0']).not.toContain(user?.args.split(':')[0]);
    expect(all(runtime, 'RUN').some((run) => /\bnpm ci\b.*--omit=dev/.test(run.args))).toBe(true);
  });

  it('runs node itself as the main process (so SIGTERM reaches it), and checks /healthz', () => {
    const [cmd] = all(runtime, 'CMD');
    expect(execForm(cmd?.args ?? 'null')).toEqual(['node', 'dist/server/main.js']);
    expect(healthcheckCommand()[0]).toBe('node');
    expect(healthcheckCommand().join(' ')).toContain('/healthz');
  });
});

describe('the runtime stage, played in a plain copy', () => {
  let redis: TestRedis;
  let app = '';
  const env: Record<string, string> = {};

  beforeAll(async () => {
    redis = await startTestRedis();
    app = mkdtempSync(join(tmpdir(), 'chat-image-'));
    for (const { keyword, args } of runtime.instructions) {
      if (keyword === 'COPY') {
        const words = args.split(/\s+/);
        const fromStage = words[0]?.startsWith('--from=');
        const [destination = '.', ...sources] = words.slice(fromStage ? 1 : 0).reverse();
        for (const source of sources.reverse()) {
          // The build stage builds in its WORKDIR, /app: here, the checkout npm test built.
          const path = fromStage ? source.replace(/^\/app\//, '') : source;
          const target = destination.endsWith('/')
            ? join(app, destination, path)
            : join(app, destination);
          cpSync(path, target, { recursive: true });
        }
      } else if (keyword === 'ENV') {
        const [name = '', value = ''] = args.split('=');
        env[name] = value;
      } else if (keyword === 'RUN') {
        for (const command of args.split('&&').map((part) => part.trim())) {
          // The image empties its npm cache; here that cache is the machine's, and kept.
          if (command.startsWith('npm cache')) continue;
          const [program = '', ...programArgs] = command.split(/\s+/);
          const run = spawnSync(program, [...programArgs, '--prefer-offline'], {
            cwd: app,
            encoding: 'utf8',
          });
          if (run.status !== 0) throw new Error(`${command} failed:\n${run.stdout}${run.stderr}`);
        }
      }
    }
  }, 180_000);

  afterAll(async () => {
    await redis?.stop();
    if (app) rmSync(app, { recursive: true, force: true });
  });

  it('holds the production dependencies only', () => {
    const installed = readdirSync(join(app, 'node_modules'));
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    for (const name of Object.keys(pkg.dependencies)) {
      expect(existsSync(join(app, 'node_modules', name)), name).toBe(true);
    }
    for (const name of ['vite', 'tsx', 'typescript', 'vitest', 'react']) {
      expect(installed).not.toContain(name);
    }
  });

  it('every package dist/ imports is a production dependency', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const imported = new Set<string>();
    for (const file of readdirSync(join(app, 'dist'), { recursive: true }).map(String)) {
      if (!file.endsWith('.js') || file.startsWith('web/')) continue;
      const code = readFileSync(join(app, 'dist', file), 'utf8');
      const specifiers = [
        // import … from 'x', export … from 'x', import 'x', import('x')
        ...code.matchAll(/^\s*(?:import|export)\b[^;'"]*?\bfrom\s*['"]([^'"]+)['"]/gm),
        ...code.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm),
        ...code.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g),
      ].map((match) => match[1] ?? '');
      for (const specifier of specifiers) {
        if (specifier.startsWith('.') || specifier.startsWith('node:')) continue;
        const parts = specifier.split('/');
        const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? '');
        if (!builtinModules.includes(name)) imported.add(name);
      }
    }
    expect(imported.has('fastify')).toBe(true); // the scan found the server's imports
    const missing = [...imported].filter((name) => !(name in pkg.dependencies));
    expect(missing, 'imported by dist/ but not in "dependencies"').toEqual([]);
  });

  it('starts the server with its CMD, serves the web client, passes its HEALTHCHECK and stops on SIGTERM', async () => {
    const port = await freePort();
    const [cmd] = all(runtime, 'CMD');
    const [program = '', ...args] = execForm(cmd?.args ?? '[]');
    // What compose.yaml adds: where Redis is. PORT is the image's default elsewhere; here a free one.
    const containerEnv = {
      PATH: process.env.PATH ?? '',
      HOME: app,
      ...env,
      PORT: String(port),
      REDIS_URL: redis.url,
    };
    const child = spawn(program, args, {
      cwd: app,
      env: containerEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    try {
      // A cold start loads every module from the copy: give it what a busy machine needs.
      await waitFor(
        'the server in the copy',
        () => {
          if (child.exitCode !== null) throw new Error(`exited:\n${output}`);
          return output.includes('Chat ready on');
        },
        SERVER_READY_TIMEOUT_MS,
      );
      const page = await fetch(`http://127.0.0.1:${port}/`, { headers: { accept: 'text/html' } });
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/<div id="root">/);
      expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);

      const [checkProgram = '', ...checkArgs] = healthcheckCommand();
      const healthy = spawnSync(checkProgram, checkArgs, { cwd: app, env: containerEnv });
      expect(healthy.status).toBe(0);

      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(output).toMatch(/chat server stopped/);
      const gone = spawnSync(checkProgram, checkArgs, { cwd: app, env: containerEnv });
      expect(gone.status).toBe(1);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 90_000);
});

describe('compose.yaml', () => {
  interface Service {
    build?: string | { context: string };
    image?: string;
    command?: string[];
    environment?: Record<string, string>;
    ports?: string[];
    volumes?: string[];
    depends_on?: Record<string, { condition: string }>;
    healthcheck?: { test: string[] };
  }
  const compose = parseYaml(readFileSync('compose.yaml', 'utf8')) as {
    services: Record<string, Service>;
    volumes: Record<string, unknown>;
  };
  const [appName = ''] = Object.entries(compose.services).find(
    ([, service]) => service.build !== undefined,
  ) ?? [''];
  const app = compose.services[appName] as Service;

  it('builds this image, publishes its port and points REDIS_URL at the Redis 7 service', () => {
    expect(app.build === '.' || (app.build as { context?: string })?.context === '.').toBe(true);
    expect(app.ports?.some((mapping) => String(mapping).endsWith(':8080'))).toBe(true);
    const redisUrl = new URL(app.environment?.REDIS_URL ?? 'redis://missing');
    const redis = compose.services[redisUrl.hostname];
    expect(redis?.image, `service ${redisUrl.hostname}`).toMatch(/^redis:7\b/);
    expect(redisUrl.port || '6379').toBe('6379');
    expect(app.depends_on?.[redisUrl.hostname]?.condition).toBe('service_healthy');
  });

  it('gives Redis a named volume for /data, append-only persistence and a health check', () => {
    const redisName = new URL(app.environment?.REDIS_URL ?? 'redis://missing').hostname;
    const redis = compose.services[redisName] as Service;
    expect((redis.command ?? []).join(' ')).toMatch(/--appendonly yes/);
    const dataVolume = (redis.volumes ?? []).find((volume) => volume.endsWith(':/data'));
    expect(dataVolume).toBeDefined();
    expect(Object.keys(compose.volumes)).toContain(dataVolume?.split(':')[0]);
    expect(redis.healthcheck?.test.join(' ')).toMatch(/redis-cli ping/);
  });
});
