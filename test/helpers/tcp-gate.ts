// A TCP forwarder on loopback that can be shut like a gate: while shut, nothing it holds moves either way (the
// bytes wait, as on a network partition or behind a stopped process); opened again, they flow on in order.
import { createServer, type Server, type Socket } from 'node:net';

export interface TcpGate {
  /** The port to connect to instead of the target's. */
  readonly port: number;
  shut(): void;
  open(): void;
  close(): Promise<void>;
}

export async function tcpGate(target: { host: string; port: number }): Promise<TcpGate> {
  const sockets = new Set<Socket>();
  let shut = false;
  const server: Server = createServer((inbound) => {
    const outbound = new (inbound.constructor as typeof Socket)();
    outbound.connect(target.port, target.host);
    for (const [from, to] of [
      [inbound, outbound],
      [outbound, inbound],
    ] as const) {
      sockets.add(from);
      if (shut) from.pause();
      from.on('data', (chunk) => to.write(chunk));
      from.on('end', () => to.end());
      from.on('error', () => to.destroy());
      from.on('close', () => {
        sockets.delete(from);
        to.destroy();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('tcpGate: no port');
  return {
    port: address.port,
    shut() {
      shut = true;
      for (const s of sockets) s.pause();
    },
    open() {
      shut = false;
      for (const s of sockets) s.resume();
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
