import type { BattleAction } from "@harvest/core/battle/actions";
import { legalActions } from "@harvest/core/battle/legal-actions";
import type { BattleView } from "@harvest/core/battle/views";
import { WebSocket } from "ws";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- protocol messages as the client sees them
export type Message = Record<string, any>;

/** A socket that keeps every message it receives, in order, and waits for the ones it wants. */
export class TestClient {
  readonly all: Message[] = [];
  private wake: (() => void) | null = null;
  /** Last seq sent: a battle's seqs must not repeat across reconnects, so a new connection may continue it. */
  seq = 0;
  readonly ws: WebSocket;
  constructor(ws: WebSocket) {
    this.ws = ws;
    ws.on("message", (data) => {
      this.all.push(JSON.parse(data.toString()) as Message);
      this.wake?.();
    });
  }

  static connect(url: string, token: string): Promise<TestClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers: { authorization: `Bearer ${token}` } });
      const client = new TestClient(ws);
      ws.once("open", () => resolve(client));
      ws.once("error", reject);
    });
  }

  async waitFor(predicate: (m: Message) => boolean, from = 0, timeoutMs = 10_000): Promise<{ message: Message; index: number }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (let i = from; i < this.all.length; i++) if (predicate(this.all[i] as Message)) return { message: this.all[i] as Message, index: i };
      if (Date.now() > deadline) throw new Error(`no matching message after ${from}; got ${JSON.stringify(this.all.slice(from)).slice(0, 2_000)}`);
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        setTimeout(resolve, 50);
      });
    }
  }

  /** Sends a message with the next seq (or the given one) and waits for the answer carrying it (only answers carry a client's seq). */
  async request(body: Message, seq = ++this.seq): Promise<{ message: Message; index: number; seq: number }> {
    const from = this.all.length;
    this.ws.send(JSON.stringify({ ...body, seq }));
    const answer = await this.waitFor((m) => m.seq === seq, from);
    return { ...answer, seq };
  }

  /** The view once it is this player's turn again (or the battle is over), looking from message `from` on. */
  async myTurn(me: string, from: number): Promise<BattleView> {
    const { message } = await this.waitFor((m) => (m.type === "battle.events" || m.type === "battle.started" || m.type === "battle.state") && ((m.view as BattleView).activePlayerId === me || (m.view as BattleView).result !== null), from);
    return message.view as BattleView;
  }

  close() {
    this.ws.close();
  }
}

export const toClientAction = ({ playerId: _playerId, ...rest }: BattleAction): Message => rest;

/** An eager but simple player: the first legal play or attack, else end the turn. */
export function pickAction(view: BattleView): BattleAction {
  const actions = legalActions(view);
  return actions.find((a) => a.type !== "end_turn") ?? { type: "end_turn", playerId: view.you.playerId };
}

