import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';

/** A loopback server that must never be reached: tests assert that `requests()` stays 0. */
export interface Canary {
  readonly port: number;
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Whether it also listens on [::1] (false on hosts without IPv6 loopback). */
  readonly ipv6: boolean;
  /**
   * Requests received, counting a connection that never completed one (a TLS hello, a refused
   * scheme) as one too, so that any leak shows.
   */
  requests(): number;
  close(): Promise<void>;
}

async function listen(server: Server, host: string, port: number): Promise<void> {
  server.listen(port, host);
  await Promise.race([once(server, 'listening'), once(server, 'error').then(([error]) => Promise.reject(error as Error))]);
}

/**
 * Starts the canary on 127.0.0.1 and, where the host has IPv6 loopback, on [::1] with the same
 * port, so that `http://[::1]:<port>/` would be counted too.
 */
export async function startCanary(): Promise<Canary> {
  let count = 0;
  const sockets = new Set<Socket>();
  const answered = new WeakSet<Socket>();
  const onConnection = (socket: Socket) => {
    count += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  };
  const makeServer = () =>
    createServer((req, res) => {
      // The connection was counted already; later requests on it are counted here.
      if (answered.has(req.socket)) count += 1;
      answered.add(req.socket);
      res.writeHead(200, { 'content-type': 'text/plain' }).end('canary');
    }).on('connection', onConnection);

  const v4 = makeServer();
  await listen(v4, '127.0.0.1', 0);
  const { port } = v4.address() as { port: number };
  const servers = [v4];
  const v6 = makeServer();
  try {
    await listen(v6, '::1', port);
    servers.push(v6);
  } catch {
    // No IPv6 loopback (or the port is taken there): a leak to [::1] then fails to connect,
    // which the SSRF tests report as a wrong failure code.
  }
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    ipv6: servers.length === 2,
    requests: () => count,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
    },
  };
}
