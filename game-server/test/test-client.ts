import type { BattleAction } from "@harvest/core/battle/actions";
import type { CardDef } from "@harvest/core/battle/cards";
import { cardsShownBy, expandView, type CompactBattleView } from "@harvest/core/battle/compact-views";
import { legalActions } from "@harvest/core/battle/legal-actions";
import { applyViewChanges, type ViewChanges } from "@harvest/core/battle/view-changes";
import type { BattleView } from "@harvest/core/battle/views";
import { WebSocket } from "ws";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- protocol messages as the client sees them
export type Message = Record<string, any>;

/**
 * A socket that keeps every message it receives, in order (as sent), and waits for the ones it
 * wants. Like any client it keeps each battle's view (from its snapshots and the changes each
 * battle.events makes) and card definitions, so `viewOf` gives the view as of a message, with
 * whole cards.
 */
export class TestClient {
  readonly all: Message[] = [];
  private readonly cards = new Map<string, Map<string, CardDef>>();
  private readonly views = new WeakMap<Message, BattleView | Error>();
  private readonly compactViews = new WeakMap<Message, CompactBattleView>();
  /** Each battle's view as the messages so far made it (an Error once a change did not apply). */
  private readonly current = new Map<string, CompactBattleView | Error>();
  private wake: (() => void) | null = null;
  /** Last seq sent: a battle's seqs must not repeat across reconnects, so a new connection may continue it. */
  seq = 0;
  readonly ws: WebSocket;
  constructor(ws: WebSocket) {
    this.ws = ws;
    ws.on("message", (data) => {
      const message = JSON.parse(data.toString()) as Message;
      this.learn(message);
      this.all.push(message);
      this.wake?.();
    });
  }

  private learn(message: Message) {
    if (typeof message.battleId !== "string") return;
    let view: CompactBattleView | Error;
    if (message.view !== undefined) view = message.view as CompactBattleView;
    else if (message.type === "battle.events") {
      const held = this.current.get(message.battleId);
      view =
        held !== undefined && !(held instanceof Error) && held.seq === message.baseSeq
          ? applyViewChanges(held, message.changes as ViewChanges)
          : new Error(`battle.events changes a view at seq ${message.baseSeq}; this client holds ${held instanceof Error || held === undefined ? "none" : held.seq}`);
    } else return;
    this.current.set(message.battleId, view);
    const cards = this.cards.get(message.battleId) ?? new Map<string, CardDef>();
    this.cards.set(message.battleId, cards);
    for (const card of [...((message.cards ?? []) as CardDef[]), ...cardsShownBy(message.events ?? [])]) cards.set(card.id, card);
    if (view instanceof Error) return this.views.set(message, view);
    this.compactViews.set(message, view);
    try {
      this.views.set(message, expandView(view, cards));
    } catch (error) {
      this.views.set(message, error as Error);
    }
  }

  /** Whether `message` brought a view: a snapshot's, or the one a battle.events' changes made. */
  hasView(message: Message): boolean {
    return this.views.has(message);
  }

  /** The view (cards by id) as of `message`: a snapshot's, or the one its changes made of the view before. */
  compactViewOf(message: Message): CompactBattleView {
    const view = this.compactViews.get(message);
    if (view === undefined) throw this.views.get(message) ?? new Error(`message ${message.type} has no view`);
    return view;
  }

  /** The view as of `message`, with whole cards (throws when a card in it was never defined to this client, or its changes did not apply). */
  viewOf(message: Message): BattleView {
    const view = this.views.get(message);
    if (view === undefined) throw new Error(`message ${message.type} has no view`);
    if (view instanceof Error) throw view;
    return view;
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
    const { message } = await this.waitFor((m) => {
      if (!this.hasView(m)) return false;
      const view = this.compactViewOf(m);
      return view.activePlayerId === me || view.result !== null;
    }, from);
    return this.viewOf(message);
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

