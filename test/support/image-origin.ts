import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { extname, resolve, sep } from 'node:path';
import { testImagesDir } from './testdata.js';

/** A local HTTP origin serving the shared test images and misbehaving on purpose. */
export interface ImageOrigin {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Destroys every open socket (the never-ending routes included) and stops listening. */
  close(): Promise<void>;
  /** Requests seen for a path, by pathname (`/flaky/2/dune.jpg`) or by path with its query. */
  hits(path: string): number;
  totalHits(): number;
}

const CONTENT_TYPES: Record<string, string> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.svg': 'image/svg+xml',
};
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const MiB = 1024 * 1024;

type Route = (req: IncomingMessage, res: ServerResponse, url: URL, match: RegExpMatchArray) => void | Promise<void>;

async function serveFile(res: ServerResponse, name: string, typeOverride: string | null): Promise<void> {
  const root = testImagesDir();
  const path = resolve(root, decodeURIComponent(name));
  const body = path.startsWith(root + sep) ? await readFile(path).catch(() => null) : null;
  if (body === null) {
    res.writeHead(404).end();
    return;
  }
  const type = typeOverride ?? CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
  res.writeHead(200, { 'content-type': type, 'content-length': body.length }).end(body);
}

/** Writes `chunk` until the client goes away or `limit` bytes are out, honouring backpressure. */
function pump(socket: NodeJS.WritableStream & { destroyed: boolean }, first: Buffer, limit = Infinity): void {
  const chunk = Buffer.alloc(64 * 1024, 0x41);
  let sent = first.length;
  socket.write(first);
  const more = () => {
    while (!socket.destroyed && sent < limit) {
      sent += chunk.length;
      if (!socket.write(chunk)) return void socket.once('drain', more);
    }
    if (!socket.destroyed) socket.end();
  };
  more();
}

function routes(flaky: Map<string, number>): [RegExp, Route][] {
  return [
    [/^\/images\/(.+)$/, (_req, res, url, [, name]) => serveFile(res, name!, url.searchParams.get('type'))],
    [
      /^\/flaky\/(\d+)\/(.+)$/,
      (_req, res, url, [, n, name]) => {
        const seen = (flaky.get(url.pathname) ?? 0) + 1;
        flaky.set(url.pathname, seen);
        return seen <= Number(n) ? void res.writeHead(503).end() : serveFile(res, name!, null);
      },
    ],
    [/^\/status\/(\d{3})$/, (_req, res, _url, [, code]) => void res.writeHead(Number(code)).end()],
    [/^\/rate-limited$/, (_req, res) => void res.writeHead(429, { 'retry-after': '1' }).end()],
    [/^\/hang$/, () => {}],
    [
      /^\/trickle$/,
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'image/jpeg' }).flushHeaders();
        const jpeg = [0xff, 0xd8, 0xff, 0xe0];
        let i = 0;
        const timer = setInterval(() => res.write(Buffer.of(jpeg[i++ % jpeg.length]!)), 500);
        res.on('close', () => clearInterval(timer));
      },
    ],
    [
      /^\/endless$/,
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'image/png' });
        pump(res as ServerResponse & { destroyed: boolean }, PNG_MAGIC);
      },
    ],
    [
      /^\/liar-length$/,
      (req) => {
        // Raw on the socket: Node's own response object would refuse to send more than it declared.
        req.socket.write('HTTP/1.1 200 OK\r\ncontent-type: image/png\r\ncontent-length: 100\r\n\r\n');
        pump(req.socket, PNG_MAGIC, 30 * MiB);
      },
    ],
    [
      /^\/redirect$/,
      (_req, res, url) => {
        const to = url.searchParams.get('to');
        res.writeHead(to === null ? 400 : 302, to === null ? {} : { location: to }).end();
      },
    ],
    [
      /^\/redirect-chain\/(\d+)$/,
      (_req, res, _url, [, n]) => {
        const left = Number(n);
        if (left === 0) return serveFile(res, 'dune.jpg', null);
        res.writeHead(302, { location: left === 1 ? '/images/dune.jpg' : `/redirect-chain/${left - 1}` }).end();
      },
    ],
  ];
}

/** Starts the origin on 127.0.0.1 with a free port. */
export async function startImageOrigin(): Promise<ImageOrigin> {
  testImagesDir(); // fail here, with its message, when the test images are missing
  const hits = new Map<string, number>();
  const count = (key: string) => hits.set(key, (hits.get(key) ?? 0) + 1);
  let total = 0;
  const table = routes(new Map());
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://origin');
    total += 1;
    count(url.pathname);
    if (url.search !== '') count(url.pathname + url.search);
    for (const [pattern, route] of table) {
      const match = url.pathname.match(pattern);
      if (match && req.method === 'GET') {
        Promise.resolve(route(req, res, url, match)).catch((error: unknown) => res.destroy(error as Error));
        return;
      }
    }
    res.writeHead(404).end();
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    hits: (path) => hits.get(path) ?? 0,
    totalHits: () => total,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
