import net from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 to another local port that can be taken down (every connection reset
 * at once, as a dead endpoint behind a load balancer) and brought back, on the same port.
 */
export class SwitchableProxy {
  readonly #server: net.Server;
  readonly #sockets = new Set<net.Socket>();
  #up = true;

  private constructor(targetPort: number) {
    this.#server = net.createServer((client) => {
      this.#track(client);
      if (!this.#up) {
        client.resetAndDestroy();
        return;
      }
      const upstream = net.connect(targetPort, '127.0.0.1');
      this.#track(upstream);
      client.pipe(upstream).pipe(client);
      const endBoth = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on('error', endBoth);
      upstream.on('error', endBoth);
    });
  }

  static async start(targetUrl: string): Promise<SwitchableProxy> {
    const proxy = new SwitchableProxy(Number(new URL(targetUrl).port));
    await new Promise<void>((resolve) => proxy.#server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as net.AddressInfo).port}`;
  }

  /** Resets open connections too, so that a kept-alive one cannot get through. */
  down(): void {
    this.#up = false;
    for (const socket of this.#sockets) socket.destroy();
  }

  up(): void {
    this.#up = true;
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #track(socket: net.Socket): void {
    this.#sockets.add(socket);
    socket.on('close', () => this.#sockets.delete(socket));
  }
}
