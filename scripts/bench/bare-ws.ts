/**
 * The WebSocket baseline of `npm run bench:ws` (docs: ../shared/design/benchmarks.md): a bare `ws`
 * server that answers each message after one Postgres insert, the floor a real game server must pay
 * for an action it stores before it answers. No authentication, no validation, no game: parse the
 * JSON, insert it as one row, send `{ "type": "ack", "seq": … }`.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type pg from "pg";
import { WebSocketServer } from "ws";

/** Creates the table the baseline inserts into. */
export async function prepareBareWsTable(pool: pg.Pool): Promise<void> {
  await pool.query(`CREATE TABLE IF NOT EXISTS public.bench_ws_messages (id bigserial PRIMARY KEY, seq bigint NOT NULL, body jsonb NOT NULL, received_at timestamptz NOT NULL DEFAULT now())`);
}

/** Starts the baseline on `port` (0: any free one); `close()` stops it. */
export async function startBareWsServer(pool: pg.Pool, { port = 0, hostname = "127.0.0.1" }: { port?: number; hostname?: string } = {}) {
  const server: Server = createServer((_request, response) => response.writeHead(404).end());
  const wss = new WebSocketServer({ server, path: "/ws", perMessageDeflate: false, maxPayload: 16 * 1024 });
  wss.on("connection", (ws) => {
    ws.on("message", (data) => {
      let message: { seq?: unknown };
      try {
        message = JSON.parse(data.toString()) as { seq?: unknown };
      } catch {
        return ws.send(JSON.stringify({ type: "error", seq: null }));
      }
      const seq = typeof message.seq === "number" ? message.seq : 0;
      pool.query({ name: "bare-ws-insert", text: `INSERT INTO public.bench_ws_messages (seq, body) VALUES ($1, $2)`, values: [seq, data.toString()] }).then(
        () => ws.send(JSON.stringify({ type: "ack", seq })),
        () => ws.send(JSON.stringify({ type: "error", seq })),
      );
    });
    ws.on("error", () => {});
  });
  await new Promise<void>((resolve) => server.listen(port, hostname, resolve));
  const { port: bound } = server.address() as AddressInfo;
  return {
    wsUrl: `ws://${hostname}:${bound}/ws`,
    async close(): Promise<void> {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
