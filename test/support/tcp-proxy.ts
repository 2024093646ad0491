import { createConnection, createServer, type Socket } from 'node:net';

/** A TCP proxy on a loopback port that a test can cut, to make a server vanish and come back. */
export interface TcpProxy {
  readonly port: number;
  /** `forUrl` (e.g. the broker's AMQP URL) with its host and port pointing at the proxy. */
  url(forUrl?: string): string;
  /** Destroys every proxied connection and refuses new ones until `restore()`. */
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

/** Starts a proxy to `targetHost:targetPort` on a free loopback port. */
export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let cut = false;
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    // A reset or a write after the peer left; the close handler above does the cleanup.
    socket.on('error', () => undefined);
  };
  const server = createServer((client) => {
    track(client);
    // Accept then drop, rather than stop listening, so the port stays ours while cut.
    if (cut) {
      client.destroy();
      return;
    }
    const upstream = createConnection({ host: targetHost, port: targetPort });
    track(upstream);
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no TCP address');
  const destroyAll = () => {
    for (const socket of sockets) socket.destroy();
  };
  return {
    port: address.port,
    url: (forUrl = `amqp://${targetHost}:${targetPort}`) => {
      const url = new URL(forUrl);
      url.hostname = '127.0.0.1';
      url.port = String(address.port);
      return url.toString();
    },
    cut: () => {
      cut = true;
      destroyAll();
    },
    restore: () => {
      cut = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        destroyAll();
        server.close(() => resolve());
      }),
  };
}
