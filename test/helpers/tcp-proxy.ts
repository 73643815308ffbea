// A loopback TCP proxy a test can cut: every connection through it is piped to the target,
// until `cut()` destroys them all, as a dropped Wi-Fi link would. New connections still go
// through afterwards (the link is back), unless the test holds them (accepted, not yet passed
// on) to look at a client while it is reconnecting.
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  /** `http://127.0.0.1:<port>` of the proxy. */
  url: string;
  /** Destroys every open connection through the proxy; returns how many there were. */
  cut(): number;
  /** New connections wait, unanswered, until `release()`. */
  hold(): void;
  /** Passes the held connections (and all later ones) on to the target. */
  release(): void;
  /** Bytes that went from the target to clients, over all connections. */
  readonly bytesDown: number;
  /** The request lines that went through, in order: `POST /_piko/actions/task.process`. */
  readonly requests: readonly string[];
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const open = new Set<Socket>();
  const requests: string[] = [];
  let held: Socket[] | undefined;
  let bytesDown = 0;

  const pass = (client: Socket) => {
    if (client.destroyed) return;
    const upstream = connect(target.port, target.host);
    open.add(upstream);
    upstream.on('close', () => open.delete(upstream));
    upstream.on('error', () => {});
    upstream.on('data', (chunk: Buffer) => (bytesDown += chunk.length));
    // Small requests arrive whole in one chunk, request line first: enough to list them.
    client.on('data', (chunk: Buffer) => {
      for (const [, line] of chunk.toString('latin1').matchAll(/^([A-Z]+ \S+) HTTP\/1\.[01]\r$/gm)) requests.push(line!);
    });
    client.pipe(upstream);
    upstream.pipe(client);
    // Either side closing ends both: a cut is a cut.
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.resume();
  };

  const server: Server = createServer((client) => {
    open.add(client);
    client.on('close', () => open.delete(client));
    client.on('error', () => {});
    client.pause();
    if (held) held.push(client);
    else pass(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const proxy: TcpProxy = {
    url: `http://127.0.0.1:${port}`,
    cut() {
      const n = open.size;
      for (const socket of [...open]) socket.destroy();
      return n;
    },
    hold() {
      held ??= [];
    },
    release() {
      const waiting = held ?? [];
      held = undefined;
      for (const client of waiting) pass(client);
    },
    get bytesDown() {
      return bytesDown;
    },
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        held = undefined;
        for (const socket of [...open]) socket.destroy();
        server.close(() => resolve());
      }),
  };
  return proxy;
}
