// A loopback TCP proxy a test can cut: every connection through it is piped to the target,
// until `cut()` destroys them all, as a dropped Wi-Fi link would. New connections still go
// through afterwards (the link is back).
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  /** `http://127.0.0.1:<port>` of the proxy. */
  url: string;
  /** Destroys every open connection through the proxy; returns how many there were. */
  cut(): number;
  /** Bytes that went from the target to clients, over all connections. */
  readonly bytesDown: number;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const open = new Set<Socket>();
  let bytesDown = 0;
  const server: Server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.on('close', () => open.delete(socket));
      socket.on('error', () => {});
    }
    upstream.on('data', (chunk: Buffer) => (bytesDown += chunk.length));
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    cut() {
      const n = open.size;
      for (const socket of open) socket.destroy();
      return n;
    },
    get bytesDown() {
      return bytesDown;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
