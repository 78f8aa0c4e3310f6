/**
 * The API documents the server generates from the contract: /openapi.json is valid OpenAPI 3.1
 * (checked by an OpenAPI schema validator) and lists every route of the table with every status it
 * may answer; /asyncapi.json is valid AsyncAPI 3.0 (checked by the AsyncAPI parser) with a `send`
 * operation and its acknowledgement for every client event and a `receive` operation for every
 * server event; /docs serves the reference page and its script from this server.
 */
import { Parser } from '@asyncapi/parser';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientEvents, serverEvents } from '../../src/protocol/events.js';
import { answersOf } from '../../src/protocol/route-table.js';
import { routes } from '../../src/protocol/routes.js';
import { HttpClient } from '../support/clients.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';
import { type InProcessServer, startInProcessServer } from '../support/server.js';

let redis: TestRedis;
let server: InProcessServer;

beforeAll(async () => {
  redis = await startTestRedis();
  server = await startInProcessServer(redis.url, { DEMO_DATA: 'false' });
});

afterAll(async () => {
  await server?.stop();
  await redis?.stop();
});

type Json = Record<string, unknown>;
const fetchJson = async (path: string) => (await new HttpClient(server.url).get<Json>(path)).body;

/** `/room/:roomId/read` in OpenAPI's spelling. */
const openApiPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

describe('GET /openapi.json', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const validator = new Validator();
    const result = await validator.validate(await fetchJson('/openapi.json'));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('has every route of the table, with each status and error body it may answer', async () => {
    const document = (await fetchJson('/openapi.json')) as {
      paths: Record<string, Record<string, { operationId: string; responses: Json }>>;
    };
    const documented = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(documented.sort()).toEqual(
      Object.values(routes)
        .map(({ method, path }) => `${method} ${openApiPath(path)}`)
        .sort(),
    );
    for (const [name, route] of Object.entries(routes)) {
      const operation = document.paths[openApiPath(route.path)]?.[route.method.toLowerCase()];
      expect(operation?.operationId).toBe(name);
      const statuses = [...answersOf(route).keys()].map(String).sort();
      expect(Object.keys(operation?.responses ?? {}).sort(), name).toEqual(statuses);
      for (const [status, answer] of answersOf(route)) {
        if (status < 400) continue;
        const body = JSON.stringify(operation?.responses[String(status)]);
        // The error body: message and code, the code one of those this status stands for.
        expect(body, `${name} ${status}`).toContain('"message"');
        expect(body, `${name} ${status}`).toContain(answer.description.split('`')[1]);
      }
    }
  });
});

describe('GET /asyncapi.json', () => {
  it('is a valid AsyncAPI 3.0 document', async () => {
    const { document, diagnostics } = await new Parser().parse(
      JSON.stringify(await fetchJson('/asyncapi.json')),
    );
    // 0 is an error, 1 a warning; 2 and 3 are hints (a newer AsyncAPI version exists).
    const problems = diagnostics.filter(({ severity }) => severity <= 1);
    expect(problems.map(({ message, path }) => `${path.join('.')}: ${message}`)).toEqual([]);
    expect(document?.version()).toBe('3.0.0');
  });

  it('sends every client event with its acknowledgement, and receives every server event', async () => {
    const { document } = await new Parser().parse(
      JSON.stringify(await fetchJson('/asyncapi.json')),
    );
    if (!document) throw new Error('no document');
    const operations = new Map(
      document
        .operations()
        .all()
        .map((op) => [op.id(), op]),
    );
    for (const event of Object.keys(clientEvents)) {
      const send = operations.get(`send.${event}`);
      expect(send?.action(), event).toBe('send');
      expect(send?.messages().all()[0]?.name()).toBe(event);
      const ack = send?.reply()?.messages().all()[0];
      expect(ack?.hasPayload(), `${event} ack`).toBe(true);
      expect(JSON.stringify(ack?.payload()?.json())).toContain('"ok"');
    }
    for (const event of Object.keys(serverEvents)) {
      const receive = operations.get(`receive.${event}`);
      expect(receive?.action(), event).toBe('receive');
      expect(receive?.messages().all()[0]?.name()).toBe(event);
      expect(receive?.messages().all()[0]?.hasPayload()).toBe(true);
    }
    expect(operations.size).toBe(
      Object.keys(clientEvents).length + Object.keys(serverEvents).length,
    );
  });
});

describe('GET /docs', () => {
  it('is the API reference page, its script served by this server, none from elsewhere', async () => {
    const page = await fetch(`${server.url}/docs/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('/openapi.json');
    const sources = [...html.matchAll(/<(?:script|link)[^>]+(?:src|href)="([^"]+)"/g)].map(
      ([, source]) => source as string,
    );
    expect(sources.length).toBeGreaterThan(0);
    // Its own policy: the inline script that starts Scalar by its hash, never any inline script.
    const policy = page.headers.get('content-security-policy') ?? '';
    const scriptSources = /script-src ([^;]*)/.exec(policy)?.[1] ?? '';
    expect(scriptSources).toMatch(/^'self' 'sha256-[A-Za-z0-9+/=]+'$/);
    expect(policy).toContain("frame-ancestors 'none'");
    // Everything else keeps the chat's policy.
    const elsewhere = (await fetch(`${server.url}/openapi.json`)).headers;
    expect(elsewhere.get('content-security-policy')).toMatch(/script-src 'self';/);
    for (const source of sources) {
      expect(source).not.toMatch(/^(https?:)?\/\//);
      const served = await fetch(new URL(source, `${server.url}/docs/`));
      expect(served.status, source).toBe(200);
      expect(served.headers.get('content-type')).toMatch(/javascript|css/);
    }
  });
});
