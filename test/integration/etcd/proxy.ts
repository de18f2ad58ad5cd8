/**
 * A TCP proxy the fault tests control: forward, cut every connection, stall (accept new
 * connections and never answer), or pause/resume existing connections in both directions.
 */
import { type Server, type Socket, connect, createServer } from "node:net";

export class TcpProxy {
  private server!: Server;
  private readonly pairs = new Set<[Socket, Socket | undefined]>();
  private stalled = false;
  private paused = false;
  port = 0;

  private constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  static async start(targetPort: number, targetHost = "127.0.0.1"): Promise<TcpProxy> {
    const p = new TcpProxy(targetHost, targetPort);
    p.server = createServer((c) => p.onConnection(c));
    await new Promise<void>((resolve) => p.server.listen(0, "127.0.0.1", resolve));
    const addr = p.server.address();
    p.port = typeof addr === "object" && addr ? addr.port : 0;
    return p;
  }

  get url(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  private onConnection(client: Socket): void {
    client.on("error", () => {});
    if (this.stalled) {
      // Accept and never answer: a black hole.
      const pair: [Socket, undefined] = [client, undefined];
      this.pairs.add(pair);
      client.on("close", () => this.pairs.delete(pair));
      client.pause();
      return;
    }
    const upstream = connect(this.targetPort, this.targetHost);
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
    const pair: [Socket, Socket] = [client, upstream];
    this.pairs.add(pair);
    const close = () => {
      client.destroy();
      upstream.destroy();
      this.pairs.delete(pair);
    };
    client.on("close", close);
    upstream.on("close", close);
    client.pipe(upstream);
    upstream.pipe(client);
    if (this.paused) {
      client.pause();
      upstream.pause();
    }
  }

  /** Destroys every open connection (new ones are still accepted). */
  cutAll(): void {
    for (const [a, b] of this.pairs) {
      a.destroy();
      b?.destroy();
    }
    this.pairs.clear();
  }

  /** New connections are accepted and never answered; existing ones stop moving data. */
  stall(): void {
    this.stalled = true;
    this.pause();
  }

  /** Existing connections stop moving data (both directions). */
  pause(): void {
    this.paused = true;
    for (const [a, b] of this.pairs) {
      a.unpipe();
      b?.unpipe();
      a.pause();
      b?.pause();
    }
  }

  resume(): void {
    this.paused = false;
    this.stalled = false;
    for (const [a, b] of this.pairs) {
      if (!b) {
        a.destroy();
        continue;
      }
      a.pipe(b);
      b.pipe(a);
    }
  }

  async close(): Promise<void> {
    this.cutAll();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
