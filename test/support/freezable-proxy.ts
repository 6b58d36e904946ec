import { createServer, connect, type Server, type Socket } from 'node:net';

interface Link {
  client: Socket;
  upstream?: Socket;
  /** Bytes are dropped both ways from now on, and nothing is closed: a cut cable, not a reset. */
  cut: boolean;
}

/**
 * A TCP proxy to a PostgreSQL server whose links can be cut without closing them, as a
 * network failure does: after `freeze()` every byte is dropped both ways on the open links,
 * and new connections are accepted but never answered. `thaw()` lets new connections through
 * again; the frozen ones stay dead, as their peers will have given up on them.
 */
export class FreezableProxy {
  private readonly links = new Set<Link>();
  private frozen = false;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(databaseUrl: string): Promise<FreezableProxy> {
    const target = new URL(databaseUrl);
    let proxy: FreezableProxy | undefined;
    const server = createServer((client) => proxy!.accept(client, target.hostname, Number(target.port || 5432)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('the proxy has no TCP address');
    const url = new URL(databaseUrl);
    url.hostname = '127.0.0.1';
    url.port = String(address.port);
    proxy = new FreezableProxy(server, url.href);
    return proxy;
  }

  freeze(): void {
    this.frozen = true;
    for (const link of this.links) link.cut = true;
  }

  thaw(): void {
    this.frozen = false;
  }

  async close(): Promise<void> {
    for (const link of this.links) {
      link.client.destroy();
      link.upstream?.destroy();
    }
    await new Promise((resolve) => this.server.close(resolve));
  }

  private accept(client: Socket, host: string, port: number): void {
    const link: Link = { client, cut: this.frozen };
    this.links.add(link);
    client.on('error', () => undefined);
    client.on('close', () => {
      link.upstream?.destroy();
      this.links.delete(link);
    });
    if (link.cut) return;
    const upstream = connect(port, host);
    link.upstream = upstream;
    upstream.on('error', () => client.destroy());
    upstream.on('close', () => {
      if (!link.cut) client.destroy();
    });
    client.on('data', (chunk) => {
      if (!link.cut) upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (!link.cut) client.write(chunk);
    });
  }
}
