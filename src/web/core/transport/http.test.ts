import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, api, call, setUnauthenticatedHandler } from './http.js';

interface Sent {
  url: string;
  init: RequestInit;
}

/** Answers every fetch with one canned response and records what was asked. */
function answerWith(status: number, body: unknown, headers: Record<string, string> = {}): Sent[] {
  const sent: Sent[] = [];
  vi.stubGlobal('fetch', (url: string, init: RequestInit) => {
    sent.push({ url, init });
    const text = body === undefined ? null : typeof body === 'string' ? body : JSON.stringify(body);
    return Promise.resolve(new Response(text, { status, headers }));
  });
  return sent;
}

const message = { id: '1700000000000000-a1', from: '1', date: 1, message: 'hi', roomId: '0' };

afterEach(() => {
  vi.unstubAllGlobals();
  setUnauthenticatedHandler(null);
});

describe('calls built from the route table', () => {
  it('fills the path with encoded params and encodes the query with the route’s schema', async () => {
    const sent = answerWith(200, [message]);
    await api.messagesPage('1:2', 15, 30);
    expect(sent[0]!.url).toBe('/room/1%3A2/messages?offset=15&size=30');
    expect(sent[0]!.init.method).toBe('GET');
    expect(sent[0]!.init.body).toBeUndefined();
  });

  it('repeats a list parameter, as the server reads `ids[]`', async () => {
    const sent = answerWith(200, {});
    await api.users(['1', '22']);
    expect(sent[0]!.url).toBe('/users?ids%5B%5D=1&ids%5B%5D=22');
  });

  it('sends every POST as JSON, an empty object when the route has no body', async () => {
    const sent = answerWith(204, undefined);
    await api.leaveRoom('5');
    expect(sent[0]!.url).toBe('/room/5/leave');
    expect(sent[0]!.init.body).toBe('{}');
    expect(sent[0]!.init.headers).toMatchObject({ 'content-type': 'application/json' });
  });

  it('tells a registration from a sign-in by the status the table declares', async () => {
    answerWith(201, { id: '9', username: 'ann', admin: false });
    await expect(api.login('ann', 'secret')).resolves.toEqual({
      user: { id: '9', username: 'ann', admin: false },
      registered: true,
    });
  });

  it('keeps only the fields the schema knows', async () => {
    answerWith(200, { id: '9', username: 'ann', admin: false, passwordHash: 'x' });
    expect(await api.me()).toEqual({ id: '9', username: 'ann', admin: false });
  });

  it('refuses an answer that does not match the declared schema', async () => {
    answerWith(200, [{ ...message, date: 'yesterday' }]);
    const failure = api.messagesPage('0', 0, 15);
    await expect(failure).rejects.toBeInstanceOf(ApiError);
    await expect(failure).rejects.toMatchObject({ code: 'internal' });
  });

  it('refuses a success status the route does not declare', async () => {
    answerWith(202, { id: '9', username: 'ann' });
    await expect(call('me')).rejects.toMatchObject({ status: 202, code: 'internal' });
  });

  it('turns a refusal into an ApiError with its code and Retry-After', async () => {
    answerWith(429, { message: 'Too many rooms', code: 'rate_limited' }, { 'retry-after': '7' });
    await expect(api.createRoom('Design', 'public')).rejects.toMatchObject({
      status: 429,
      code: 'rate_limited',
      message: 'Too many rooms',
      retryAfterS: 7,
    });
  });

  it('reports a lost session to the handler', async () => {
    const lost = vi.fn();
    setUnauthenticatedHandler(lost);
    answerWith(401, { message: 'Sign in first', code: 'unauthenticated' });
    await expect(api.onlineUsers()).rejects.toMatchObject({ code: 'unauthenticated' });
    expect(lost).toHaveBeenCalledOnce();
  });

  it('names a network failure as such', async () => {
    vi.stubGlobal('fetch', () => Promise.reject(new TypeError('Failed to fetch')));
    await expect(api.me()).rejects.toMatchObject({ status: 0, code: 'network' });
  });

  it('signs out only after the requests already sent have answered', async () => {
    const sent: string[] = [];
    let answerUsers: (response: Response) => void = () => undefined;
    vi.stubGlobal('fetch', (url: string) => {
      sent.push(url);
      if (url.startsWith('/users')) return new Promise<Response>((done) => (answerUsers = done));
      return Promise.resolve(new Response(null, { status: 204 }));
    });
    const users = api.users(['3']);
    const logout = api.logout();
    await new Promise((done) => setTimeout(done, 20));
    expect(sent).toEqual(['/users?ids%5B%5D=3']);

    answerUsers(new Response('{}', { status: 200 }));
    await users;
    await logout;
    expect(sent).toEqual(['/users?ids%5B%5D=3', '/logout']);
  });
});
