import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DRAINED_BODY_BYTES, UndiciWebhookSender, webhookSignature } from '../../../src/adapters/undici/index.js';
import { listenOnLoopback } from './listen-on-loopback.js';

const SECRET = `whsec_${Buffer.from('a test secret of 24 bytes').toString('base64')}`;

interface Received {
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

describe('UndiciWebhookSender', () => {
  const received: Received[] = [];
  let answer: (response: ServerResponse) => void = (response) => response.writeHead(204).end();
  let server: Server;
  let base: string;
  const sender = new UndiciWebhookSender({ allowPrivateNetworks: true, timeoutMs: 300 });

  beforeAll(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
        answer(response);
      });
    });
    base = `http://127.0.0.1:${await listenOnLoopback(server)}`;
  });
  afterAll(async () => {
    await sender.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const request = (path = '/hook') => ({ url: `${base}${path}`, secret: SECRET, messageId: 'evt_1', timestamp: new Date(), body: '{"type":"image.done","n":1}' });

  it('signs as Standard Webhooks libraries verify it', async () => {
    answer = (response) => response.writeHead(204).end();
    expect(await sender.send(request('/hook?x=1'))).toEqual({ status: 204 });
    const last = received.at(-1)!;
    expect(last.body).toBe('{"type":"image.done","n":1}');
    expect(last.headers['content-type']).toBe('application/json');
    const verified = new Webhook(SECRET).verify(last.body, last.headers as Record<string, string>);
    expect(verified).toEqual({ type: 'image.done', n: 1 });
    expect(last.headers['webhook-id']).toBe('evt_1');
    expect(() => new Webhook(SECRET).verify(`${last.body} `, last.headers as Record<string, string>)).toThrow();
  });

  it('matches the reference signature of the Standard Webhooks specification', () => {
    // The example in the specification's README (standard-webhooks/standard-webhooks, spec).
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const body = '{"test": 2432232314}';
    expect(webhookSignature(secret, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, body)).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('reports any status as the answer, redirects included: they are not followed', async () => {
    answer = (response) => response.writeHead(500).end('no');
    expect(await sender.send(request())).toEqual({ status: 500 });
    answer = (response) => response.writeHead(302, { location: `${base}/elsewhere` }).end();
    const before = received.length;
    expect(await sender.send(request())).toEqual({ status: 302 });
    expect(received.length).toBe(before + 1);
  });

  it('keeps the connection for the next delivery when the endpoint answers with a body, and still reports a large one', async () => {
    const connections: unknown[] = [];
    const onConnection = (socket: unknown) => connections.push(socket);
    server.on('connection', onConnection);
    const own = new UndiciWebhookSender({ allowPrivateNetworks: true, timeoutMs: 1_000 });
    try {
      // A body that comes after the headers, as a streaming framework sends it: destroying it closed
      // the connection, so every delivery opened a new one (19 for 10 before this was fixed).
      answer = (response) => {
        response.writeHead(200, { 'content-type': 'text/plain' });
        response.write('ok, ');
        setTimeout(() => response.end('thanks'), 20);
      };
      for (let n = 0; n < 5; n += 1) expect(await own.send(request())).toEqual({ status: 200 });
      // undici may open a second one while it is still releasing the first; never one per delivery.
      expect(connections.length).toBeLessThanOrEqual(2);
      // Past the drained limit the body is cut off: the status still counts.
      answer = (response) => response.writeHead(200).end(Buffer.alloc(DRAINED_BODY_BYTES * 4));
      expect(await own.send(request())).toEqual({ status: 200 });
      // And a body that trickles past the timeout does not hold the delivery up longer than it.
      answer = (response) => {
        response.writeHead(200, { 'content-length': '100' });
        response.write('slow');
      };
      expect(await own.send(request())).toEqual({ status: 200 });
    } finally {
      server.off('connection', onConnection);
      await own.close();
    }
  });

  it('gives up on an endpoint that does not answer within the timeout', async () => {
    answer = () => undefined;
    expect(await sender.send(request())).toEqual({ status: null, error: 'no answer within 300 ms' });
  });

  it('refuses private addresses unless allowed, for good', async () => {
    const strict = new UndiciWebhookSender({ timeoutMs: 300 });
    try {
      expect(await strict.send(request())).toEqual({ status: null, error: expect.stringMatching(/^blocked address: 127\.0\.0\.1 is not a public address/), permanent: true });
    } finally {
      await strict.close();
    }
  });

  it('reports a refused connection as a transient failure', async () => {
    const closed = createServer();
    const port = await listenOnLoopback(closed);
    await new Promise((resolve) => closed.close(resolve));
    expect(await sender.send({ ...request(), url: `http://127.0.0.1:${port}/` })).toEqual({ status: null, error: 'connection failed (ECONNREFUSED)' });
  });

  it('reports a name that does not resolve without retrying forever on it', async () => {
    const failing = new UndiciWebhookSender({ timeoutMs: 300, lookup: async () => Promise.reject(Object.assign(new Error('nx'), { code: 'ENOTFOUND' })) });
    try {
      expect(await failing.send({ ...request(), url: 'https://nowhere.shop.example/hook' })).toEqual({ status: null, error: 'Could not resolve nowhere.shop.example (ENOTFOUND)' });
    } finally {
      await failing.close();
    }
  });
});
