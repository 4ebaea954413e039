/**
 * One address in front of several server processes, as nginx or a cloud load balancer would be: each
 * new TCP connection goes to the next backend in turn, skipping one that refuses (a process that
 * died). No stickiness: websocket-first clients keep one connection for their whole life.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export class Balancer {
  private next = 0;
  private readonly open = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    private readonly backends: number[],
  ) {}

  /** Listens on a free port of 127.0.0.1 and spreads connections over `backends` (ports on 127.0.0.1). */
  static async start(backends: number[]): Promise<Balancer> {
    const server = createServer();
    const balancer = new Balancer(server, backends);
    server.on('connection', (client) => balancer.route(client));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return balancer;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  private route(client: Socket, tried = 0): void {
    if (tried >= this.backends.length) {
      client.destroy();
      return;
    }
    const port = this.backends[this.next++ % this.backends.length];
    const upstream = connect(port, '127.0.0.1');
    upstream.once('connect', () => {
      this.open.add(client).add(upstream);
      client.pipe(upstream).pipe(client);
      const close = () => {
        client.destroy();
        upstream.destroy();
        this.open.delete(client);
        this.open.delete(upstream);
      };
      client.once('close', close);
      upstream.once('close', close);
      client.on('error', close);
      upstream.on('error', close);
    });
    upstream.once('error', () => {
      if (!upstream.readableEnded && !this.open.has(upstream)) this.route(client, tried + 1);
    });
  }

  async close(): Promise<void> {
    for (const socket of this.open) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
