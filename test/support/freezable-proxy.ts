import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in front of PostgreSQL that can freeze: while frozen it accepts connections and reads what
 * both sides send but forwards nothing, as a stopped (SIGSTOP) server or a dead link looks to a client.
 * Thawing forwards what was held, in order, and goes on as before.
 */
export interface FreezableProxy {
  /** `url` with its host and port replaced by the proxy's. */
  url: string;
  freeze(): void;
  thaw(): void;
  /** Drops every open connection at once, as a server's fast shutdown does to its clients. */
  cut(): void;
  close(): Promise<void>;
}

interface Direction {
  to: Socket;
  held: Buffer[];
}

export async function startFreezableProxy(targetUrl: string): Promise<FreezableProxy> {
  const target = new URL(targetUrl);
  const targetPort = Number(target.port || 5432);
  const targetHost = target.hostname || '127.0.0.1';
  let frozen = false;
  const directions = new Set<Direction>();
  const sockets = new Set<Socket>();

  const forward = (from: Socket, to: Socket) => {
    const direction: Direction = { to, held: [] };
    directions.add(direction);
    from.on('data', (chunk: Buffer) => {
      if (frozen || direction.held.length > 0) direction.held.push(chunk);
      else to.write(chunk);
    });
    const drop = () => {
      directions.delete(direction);
      to.destroy();
    };
    from.on('end', drop);
    from.on('close', drop);
    from.on('error', drop);
  };

  const server: Server = createServer((client) => {
    const upstream = connect(targetPort, targetHost);
    sockets.add(client);
    sockets.add(upstream);
    client.on('close', () => sockets.delete(client));
    upstream.on('close', () => sockets.delete(upstream));
    forward(client, upstream);
    forward(upstream, client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = new URL(targetUrl);
  url.hostname = '127.0.0.1';
  url.port = String(port);

  return {
    url: url.toString(),
    freeze: () => {
      frozen = true;
    },
    thaw: () => {
      frozen = false;
      for (const direction of directions) {
        for (const chunk of direction.held.splice(0)) direction.to.write(chunk);
      }
    },
    cut: () => {
      for (const socket of sockets) socket.destroy();
    },
    close: async () => {
      frozen = false;
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
