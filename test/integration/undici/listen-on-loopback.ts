import { once } from 'node:events';
import type { AddressInfo, Server } from 'node:net';

/** Starts `server` on 127.0.0.1 with a free port and returns the port. */
export async function listenOnLoopback(server: Pick<Server, 'listen' | 'address'> & NodeJS.EventEmitter): Promise<number> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}
