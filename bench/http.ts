/**
 * A lean HTTP/1.1 client on node:http with keep-alive: the history scenario times single requests
 * and should measure the server, not a heavier client. Also signs users in (registering new
 * names: POST /login answers 201 for a name it has not seen).
 */
import { Agent, request as httpRequest } from 'node:http';
import type { SessionUser } from '../src/protocol/models.js';

const keepAlive = new Agent({ keepAlive: true, maxSockets: 64 });

export interface HttpAnswer {
  status: number;
  body: string;
  cookie: string | null;
}

export function request(
  method: string,
  url: string,
  options: { body?: unknown; cookie?: string; headers?: Record<string, string> } = {},
): Promise<HttpAnswer> {
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((done, fail) => {
    const outgoing = httpRequest(
      url,
      {
        method,
        agent: keepAlive,
        headers: {
          ...(payload === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
          ...(options.cookie ? { cookie: options.cookie } : {}),
          ...options.headers,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const setCookie = response.headers['set-cookie']?.[0];
          done({
            status: response.statusCode ?? 0,
            body: Buffer.concat(chunks).toString(),
            cookie: setCookie ? (setCookie.split(';')[0] ?? null) : null,
          });
        });
        response.on('error', fail);
      },
    );
    outgoing.on('error', fail);
    outgoing.end(payload);
  });
}

export interface BenchUser extends SessionUser {
  /** Index in the bench's user list. */
  index: number;
  cookie: string;
  /** The instance this user's sockets and requests go to. */
  url: string;
  password: string;
}

export const BENCH_PASSWORD = 'bench-password-1';

/** Signs in (or registers) one user and keeps its session cookie. */
export async function signIn(url: string, username: string, index: number): Promise<BenchUser> {
  const answer = await request('POST', `${url}/login`, {
    body: { username, password: BENCH_PASSWORD },
  });
  if ((answer.status !== 200 && answer.status !== 201) || !answer.cookie) {
    throw new Error(`login as ${username} failed: ${answer.status} ${answer.body}`);
  }
  const user = JSON.parse(answer.body) as SessionUser;
  return { ...user, index, cookie: answer.cookie, url, password: BENCH_PASSWORD };
}

/** Runs `work` over items with at most `concurrency` in flight. */
export async function inParallel<T, R>(
  items: T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  return results;
}
