import assert from "node:assert/strict";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { serve } from "@hono/node-server";
import type { CreateBattleParams } from "@harvest/core/battle/create-battle";
import { hashState, replayBattle, type LoggedAction } from "@harvest/core/battle/replay";
import type { CompactBattleView } from "@harvest/core/battle/compact-views";
import type { BattleView } from "@harvest/core/battle/views";
import { createLogger } from "@harvest/core/logging/logger";
import { openSession } from "@harvest/db/auth/sessions";
import { createTokenService, type TokenService } from "@harvest/db/auth/token-service";
import { findOrCreatePlayer } from "@harvest/db/players/players";
import { createTestDatabase, type TestDatabase } from "@harvest/db/testing/test-database";
import { createBattleService, PRACTICE_BOT_ID } from "../src/battles/battle-service.ts";
import { createGameServerHttp } from "../src/http.ts";
import { attachSocketServer } from "../src/socket/socket-server.ts";
import { pickAction, TestClient, toClientAction, type Message } from "./test-client.ts";

const SECRET = "game-server-test-secret-0123456789abcdef";

type GameServer = { httpUrl: string; wsUrl: string; battles: ReturnType<typeof createBattleService>; close(): Promise<void> };

type ReplayBody = {
  status: string;
  finalHash: string | null;
  result: unknown;
  params: CreateBattleParams & { seed?: string };
  actions: (LoggedAction & { seq: number })[];
};

describe("practice battles over the game server's socket", () => {
  let db: TestDatabase;
  let tokens: TokenService;
  let game: GameServer;
  let playerCount = 0;

  async function startGameServer(options: { turnTimeMs?: number } = {}): Promise<GameServer> {
    const app = createGameServerHttp(async () => ({ ok: true, database: { ok: true }, chain: { ok: true }, indexer: { ok: true } }), { pool: db.pool, tokens });
    const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }) as Server;
    await new Promise((resolve) => server.once("listening", resolve));
    const logger = createLogger("battle-test", "silent");
    const battles = createBattleService({ pool: db.pool, logger, ...options });
    const sockets = attachSocketServer({ server, tokens, logger, allowedOrigins: [], battles, maxMessagesPerSecond: 1_000 });
    const port = (server.address() as AddressInfo).port;
    return {
      httpUrl: `http://127.0.0.1:${port}`,
      wsUrl: `ws://127.0.0.1:${port}/ws`,
      battles,
      async close() {
        sockets.close();
        battles.close();
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      },
    };
  }

  before(async () => {
    db = await createTestDatabase("practice_battle");
    tokens = createTokenService({ pool: db.pool, secret: SECRET });
    await tokens.start();
    game = await startGameServer();
  });

  after(async () => {
    await game?.close();
    await tokens?.stop();
    await db?.drop();
  });

  async function signedIn() {
    playerCount += 1;
    const player = await findOrCreatePlayer(db.pool, `0x${(0xb000 + playerCount).toString(16).padStart(40, "0")}`);
    const { session } = await openSession(db.pool, player, 3_600_000);
    const { token } = await tokens.issueAccessToken(session);
    return { playerId: player.id, token };
  }

  /** A signed-in player connected to `server`, with a practice battle started there and the view at their first turn. */
  async function practiceOn(server: GameServer) {
    const { playerId, token } = await signedIn();
    const client = await TestClient.connect(server.wsUrl, token);
    const started = await client.request({ type: "practice.start" });
    const battleId = started.message.battleId as string;
    const view = await client.myTurn(playerId, started.index);
    return { playerId, token, client, battleId, view };
  }

  const storedActions = async (battleId: string) =>
    (await db.pool.query<{ seq: number; player_id: string | null; client_seq: string | null }>(`SELECT seq, player_id, client_seq FROM game.battle_actions WHERE battle_id = $1 ORDER BY seq`, [battleId])).rows;
  const outboxTypes = async (battleId: string) =>
    (await db.pool.query<{ type: string }>(`SELECT type FROM game.outbox WHERE aggregate_type = 'battle' AND aggregate_id = $1 ORDER BY id`, [battleId])).rows.map((row) => row.type);

  async function replayOf(server: GameServer, battleId: string, token?: string): Promise<{ status: number; body: ReplayBody }> {
    const response = await fetch(`${server.httpUrl}/v1/battles/${battleId}/replay`, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });
    return { status: response.status, body: (await response.json()) as ReplayBody };
  }

  /** Plays from `view` until the battle ends, conceding at `concedeAtTurn`. Returns the battle.ended message. */
  async function playToEnd(client: TestClient, me: string, battleId: string, view: BattleView, concedeAtTurn = Infinity): Promise<Message> {
    let current = view;
    while (current.result === null) {
      const action = current.turn >= concedeAtTurn ? ({ type: "concede", playerId: me } as const) : pickAction(current);
      const answer = await client.request({ type: "battle.action", battleId, action: toClientAction(action) });
      assert.equal(answer.message.type, "battle.events", `refused: ${JSON.stringify(answer.message)} for ${JSON.stringify(action)}`);
      current = await client.myTurn(me, answer.index);
    }
    return (await client.waitFor((m) => m.type === "battle.ended" && m.battleId === battleId)).message;
  }

  it("plays a whole practice battle to its end; the stored log replays to the server's final state; nothing hidden leaks", async () => {
    const { playerId, token } = await signedIn();
    const client = await TestClient.connect(game.wsUrl, token);
    const started = await client.request({ type: "practice.start" });
    assert.equal(started.message.type, "battle.started");
    const battleId = started.message.battleId as string;
    assert.equal((started.message.view as CompactBattleView).you.playerId, playerId);
    assert.equal((started.message.view as CompactBattleView).opponent.playerId, PRACTICE_BOT_ID);

    const ended = await playToEnd(client, playerId, battleId, await client.myTurn(playerId, started.index));
    assert.ok(["hero_destroyed", "turn_cap"].includes(ended.result.reason as string), JSON.stringify(ended.result));

    // The replay: full params (seed included) once ended; replaying gives the server's final hash.
    const { status, body } = await replayOf(game, battleId, token);
    assert.equal(status, 200);
    assert.equal(body.status, "ended");
    assert.deepEqual(body.result, ended.result);
    assert.ok(typeof body.params.seed === "string" && body.params.seed.length >= 32, "the seed has at least 128 bits");
    const replayed = replayBattle(body.params, body.actions);
    assert.ok(replayed.ok, JSON.stringify(replayed));
    assert.equal(hashState(replayed.state), body.finalHash, "the replay reproduces the final state the server stored");
    assert.deepEqual(replayed.state.result, ended.result);
    assert.deepEqual(body.actions.map((a) => a.seq), body.actions.map((_, i) => i));

    // One outbox event per stored action, then the end.
    const types = await outboxTypes(battleId);
    assert.equal(types[0], "battle.started");
    assert.equal(types.filter((t) => t === "battle.action_applied").length, body.actions.length);
    assert.equal(types.at(-1), "battle.ended");

    // Hidden information: the bot's hand and both decks' undrawn cards never reach the player, nor does the seed.
    const bot = replayed.state.players.find((p) => p.playerId === PRACTICE_BOT_ID);
    const me = replayed.state.players.find((p) => p.playerId === playerId);
    assert.ok(bot && me);
    const hidden = [...bot.hand, ...bot.deck, ...me.deck].map((card) => card.id);
    const everything = client.all.map((m) => JSON.stringify(m)).join("\n");
    for (const id of hidden) assert.ok(!everything.includes(`"${id}"`), `hidden card ${id} was sent`);
    assert.ok(!everything.includes(body.params.seed as string), "the seed was sent");
    for (const message of client.all) {
      if (client.hasView(message)) {
        assert.doesNotThrow(() => client.viewOf(message), "every view was made from the one before, and every card in it was defined to the client before or with it");
        const sent = (message.view ?? message.changes) as Message;
        assert.equal("hand" in (sent.opponent ?? {}), false);
        assert.equal("deck" in (sent.you ?? {}), false);
        assert.equal("rng" in sent, false);
      }
      for (const event of (message.events ?? []) as Message[]) if (event.type === "card_drawn" && event.playerId === PRACTICE_BOT_ID) assert.equal(event.card, null);
    }
    assert.equal(game.battles.liveCount(), 0, "an ended battle leaves memory");
    client.close();
  });

  it("refuses illegal actions with a code and stores nothing", async () => {
    const { token, client, battleId, view } = await practiceOn(game);
    const actionsBefore = await storedActions(battleId);
    const outboxBefore = await outboxTypes(battleId);

    const notInHand = await client.request({ type: "battle.action", battleId, action: { type: "play_card", cardId: "bot.ox.1" } });
    assert.deepEqual({ type: notInHand.message.type, code: notInHand.message.code, seq: notInHand.message.seq }, { type: "error", code: "CARD_NOT_IN_HAND", seq: notInHand.seq });
    const noUnit = await client.request({ type: "battle.action", battleId, action: { type: "attack", attackerId: "you.ox.1", target: "hero" } });
    assert.equal(noUnit.message.code, "UNIT_NOT_FOUND");
    const dear = view.you.hand.find((card) => card.cost > view.you.mana);
    if (dear !== undefined) {
      const tooDear = await client.request({ type: "battle.action", battleId, action: { type: "play_card", cardId: dear.id } });
      assert.equal(tooDear.message.code, "NOT_ENOUGH_MANA");
    }
    // The client cannot name a player or send the server's timer action.
    const named = await client.request({ type: "battle.action", battleId, action: { type: "end_turn", playerId: PRACTICE_BOT_ID } });
    assert.equal(named.message.code, "VALIDATION_FAILED");
    const timeout = await client.request({ type: "battle.action", battleId, action: { type: "turn_timeout" } });
    assert.equal(timeout.message.code, "VALIDATION_FAILED");

    assert.deepEqual(await storedActions(battleId), actionsBefore);
    assert.deepEqual(await outboxTypes(battleId), outboxBefore);
    assert.equal(client.all.filter((m) => typeof m.seq === "number" && m.seq >= notInHand.seq && m.type !== "error").length, 0, "nothing refused was answered otherwise");

    // After the end (a concession) every action is refused: BATTLE_OVER.
    const conceded = await client.request({ type: "battle.action", battleId, action: { type: "concede" } });
    assert.equal(conceded.message.type, "battle.events");
    const end = await client.waitFor((m) => m.type === "battle.ended");
    assert.deepEqual(end.message.result, { winnerId: PRACTICE_BOT_ID, reason: "concede" });
    const late = await client.request({ type: "battle.action", battleId, action: { type: "end_turn" } });
    assert.equal(late.message.code, "BATTLE_OVER");
    assert.equal((await db.pool.query(`SELECT status FROM game.battles WHERE id = $1`, [battleId])).rows[0].status, "ended");
    // The concession resent (from a new connection, as after a lost answer) is acknowledged again from
    // the stored log, with nothing new: a snapshot first, since the connection may know nothing, and the end after.
    const again = await TestClient.connect(game.wsUrl, token);
    again.seq = client.seq;
    const resent = await again.request({ type: "battle.action", battleId, action: { type: "concede" } }, conceded.seq);
    assert.equal(resent.message.type, "battle.events");
    assert.deepEqual(resent.message.events, []);
    const snapshot = await again.waitFor((m) => m.type === "battle.state" && m.battleId === battleId);
    assert.ok(snapshot.index < resent.index, "the snapshot before the answer");
    assert.doesNotThrow(() => again.viewOf(resent.message), "every card of the answer's view was sent");
    assert.deepEqual((await again.waitFor((m) => m.type === "battle.ended", resent.index)).message.result, end.message.result);
    // Anything else is refused from the battle's row alone: with its log made unreadable, still BATTLE_OVER
    // (or DUPLICATE_SEQ for a stored seq reused), not a rebuild.
    await db.pool.query(`UPDATE game.battle_actions SET action = '{"type":"unreadable"}' WHERE battle_id = $1 AND seq = 0`, [battleId]);
    assert.equal((await client.request({ type: "battle.action", battleId, action: { type: "end_turn" } })).message.code, "BATTLE_OVER");
    assert.equal((await client.request({ type: "battle.action", battleId, action: { type: "end_turn" } }, conceded.seq)).message.code, "DUPLICATE_SEQ");
    again.close();
    client.close();
  });

  it("acknowledges a resent message again, with no events and exactly one effect", async () => {
    const { playerId, client, battleId } = await practiceOn(game);
    const before = (await storedActions(battleId)).length;

    const message = JSON.stringify({ type: "battle.action", seq: 50, battleId, action: { type: "end_turn" } });
    const from = client.all.length;
    client.ws.send(message);
    client.ws.send(message);
    const first = await client.waitFor((m) => m.seq === 50, from);
    const second = await client.waitFor((m) => m.seq === 50, first.index + 1);
    assert.equal(first.message.type, "battle.events");
    assert.ok((first.message.events as Message[]).some((e) => e.type === "turn_ended"));
    assert.equal(second.message.type, "battle.events");
    assert.deepEqual(second.message.events, [], "the resend is answered with nothing new");
    await client.myTurn(playerId, from);

    const rows = await storedActions(battleId);
    assert.equal(rows.filter((row) => row.player_id === playerId).length, 1, "one stored end_turn");
    assert.equal(rows.filter((row) => row.player_id === playerId && row.client_seq === "50").length, 1);
    const turnEnds = client.all.flatMap((m) => (m.events ?? []) as Message[]).filter((e) => e.type === "turn_ended" && e.playerId === playerId);
    assert.equal(turnEnds.length, 1, "the turn ended once");
    assert.ok(rows.length > before);

    // The same seq with another action is refused, not acknowledged.
    const reused = await client.request({ type: "battle.action", battleId, action: { type: "concede" } }, 50);
    assert.equal(reused.message.code, "DUPLICATE_SEQ");
    assert.equal((await storedActions(battleId)).length, rows.length);
    client.close();
  });

  it("keeps a battle to its players: FORBIDDEN over the socket, 403/401 on the replay route, no seed while it runs", async () => {
    const owner = await signedIn();
    const stranger = await signedIn();
    const client = await TestClient.connect(game.wsUrl, owner.token);
    const started = await client.request({ type: "practice.start" });
    const battleId = started.message.battleId as string;
    await client.myTurn(owner.playerId, started.index);
    const before = await storedActions(battleId);

    const intruder = await TestClient.connect(game.wsUrl, stranger.token);
    const refused = await intruder.request({ type: "battle.action", battleId, action: { type: "concede" } });
    assert.equal(refused.message.code, "FORBIDDEN");
    assert.deepEqual(await storedActions(battleId), before);
    const unknown = await intruder.request({ type: "battle.action", battleId: "00000000-0000-4000-8000-000000000000", action: { type: "concede" } });
    assert.equal(unknown.message.code, "NOT_FOUND");

    assert.equal((await replayOf(game, battleId)).status, 401);
    assert.equal((await replayOf(game, battleId, "not.a.token")).status, 401);
    assert.equal((await replayOf(game, battleId, stranger.token)).status, 403);
    const running = await replayOf(game, battleId, owner.token);
    assert.equal(running.status, 200);
    assert.equal(running.body.status, "active");
    assert.equal("seed" in running.body.params, false, "no seed while the battle runs");
    assert.equal(running.body.params.players.find((seat) => seat.playerId === PRACTICE_BOT_ID)?.deck, null);
    assert.equal(running.body.actions.length, before.length);
    client.close();
    intruder.close();
  });

  it("continues a battle after a restart from its stored actions", async () => {
    const practice = await practiceOn(game);
    const { playerId, token, battleId } = practice;
    let { client, view } = practice;
    let lastSeq = 0;
    let lastAction: Message = {};
    for (let i = 0; i < 4 && view.result === null; i++) {
      lastAction = toClientAction(pickAction(view));
      const answer = await client.request({ type: "battle.action", battleId, action: lastAction });
      assert.equal(answer.message.type, "battle.events");
      lastSeq = answer.seq;
      view = await client.myTurn(playerId, answer.index);
    }
    const storedBefore = (await storedActions(battleId)).length;

    // A fresh server (empty memory) on the same database.
    client.close();
    await game.close();
    game = await startGameServer();
    assert.equal(game.battles.liveCount(), 0);
    const seqBefore = client.seq;
    client = await TestClient.connect(game.wsUrl, token);
    client.seq = seqBefore; // seqs of a battle's actions must not repeat, even across connections
    await client.waitFor((m) => m.type === "welcome");

    // The last message resent after the restart is recognised from the database.
    const resent = await client.request({ type: "battle.action", battleId, action: lastAction }, lastSeq);
    assert.equal(resent.message.type, "battle.events");
    assert.deepEqual(resent.message.events, []);
    assert.equal(game.battles.liveCount(), 1, "the battle was rebuilt from the database");
    assert.equal((await storedActions(battleId)).length, storedBefore, "a resent message adds nothing");

    // The view after a reconnect is the one we had: the server rebuilt the same state.
    const resumed = await client.request({ type: "battle.resume", battleId });
    assert.equal(resumed.message.type, "battle.state");
    assert.deepEqual(client.viewOf(resumed.message), view);
    const ended = await playToEnd(client, playerId, battleId, client.viewOf(resumed.message), view.turn + 6);
    assert.ok(ended.result !== undefined);
    const { body } = await replayOf(game, battleId, token);
    const replayed = replayBattle(body.params, body.actions);
    assert.ok(replayed.ok);
    assert.equal(hashState(replayed.state), body.finalHash);
    assert.ok(body.actions.length > storedBefore);
    client.close();
  });

  it("answers CONFLICT when another instance moved the battle on, and a retry works from the stored log", async () => {
    const other = await startGameServer();
    try {
      const { token, client: onA, battleId, view } = await practiceOn(game);
      const onB = await TestClient.connect(other.wsUrl, token);
      onB.seq = 100;
      assert.equal((await onB.request({ type: "battle.resume", battleId })).message.type, "battle.state");
      const moved = await onB.request({ type: "battle.action", battleId, action: toClientAction(pickAction(view)) });
      assert.equal(moved.message.type, "battle.events");
      const before = await storedActions(battleId);

      // A still holds the old state in memory: its write loses, nothing is stored, and it forgets the battle.
      const stale = await onA.request({ type: "battle.action", battleId, action: { type: "concede" } });
      assert.equal(stale.message.code, "CONFLICT");
      assert.deepEqual(await storedActions(battleId), before);
      const retried = await onA.request({ type: "battle.action", battleId, action: { type: "concede" } }, stale.seq);
      assert.equal(retried.message.type, "battle.events");
      const { body } = await replayOf(game, battleId, token);
      const replayed = replayBattle(body.params, body.actions);
      assert.ok(replayed.ok);
      assert.equal(hashState(replayed.state), body.finalHash);
      assert.deepEqual(replayed.state.result, { winnerId: PRACTICE_BOT_ID, reason: "concede" });
      onA.close();
      onB.close();
    } finally {
      await other.close();
    }
  });

  it("limits a player to three active practice battles, and battle.resume is for the battle's players only", async () => {
    const { playerId, token } = await signedIn();
    const stranger = await signedIn();
    const client = await TestClient.connect(game.wsUrl, token);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const started = await client.request({ type: "practice.start" });
      assert.equal(started.message.type, "battle.started");
      ids.push(started.message.battleId as string);
    }
    const fourth = await client.request({ type: "practice.start" });
    assert.equal(fourth.message.code, "TOO_MANY_BATTLES");
    const battleId = ids[0] as string;
    const mine = await client.request({ type: "battle.resume", battleId: battleId.toUpperCase() });
    assert.equal((mine.message.view as CompactBattleView).you.playerId, playerId);
    assert.equal(mine.message.battleId, battleId, "a battle id in capitals is the same battle");
    const other = await TestClient.connect(game.wsUrl, stranger.token);
    assert.equal((await other.request({ type: "battle.resume", battleId })).message.code, "FORBIDDEN");
    await client.myTurn(playerId, mine.index);
    assert.equal((await client.request({ type: "battle.action", battleId, action: { type: "concede" } })).message.type, "battle.events");
    assert.equal((await client.request({ type: "practice.start" })).message.type, "battle.started", "a concession frees a place");
    client.close();
    other.close();
  });

  it("sends a snapshot before any other view to a connection new to the battle: acting without resuming, and resuming after a timed-out turn", async () => {
    const readable = (client: TestClient, battleId: string) => {
      const withViews = client.all.filter((m) => m.battleId === battleId && client.hasView(m));
      assert.ok(withViews.length > 0);
      assert.equal(withViews[0]!.type === "battle.state" || withViews[0]!.type === "battle.started", true, "a snapshot comes first");
      for (const m of withViews) assert.doesNotThrow(() => client.viewOf(m), `every card of ${m.type}'s view was sent before or with it`);
    };
    let quick = await startGameServer({ turnTimeMs: 3_000 });
    try {
      const { token, client: first, battleId, view } = await practiceOn(quick);

      // A second connection acts at once, without battle.resume: a snapshot (seq null), then the answer.
      const second = await TestClient.connect(quick.wsUrl, token);
      second.seq = first.seq;
      const acted = await second.request({ type: "battle.action", battleId, action: toClientAction(pickAction(view)) });
      assert.equal(acted.message.type, "battle.events");
      const snapshot = await second.waitFor((m) => m.type === "battle.state" && m.battleId === battleId);
      assert.equal(snapshot.message.seq, null);
      assert.ok(snapshot.index < acted.index, "the snapshot before the answer");
      readable(second, battleId);
      const seqAfter = second.seq;
      const deadline = second.viewOf(second.all.filter((m) => m.battleId === battleId && second.hasView(m)).at(-1)!).turnDeadlineMs;
      first.close();
      second.close();

      // The server stops; the turn's deadline passes; a fresh server and connection resume: the
      // answer first, then the timed-out turn (applied on resume) as events this client can read.
      await quick.close();
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, deadline - Date.now()) + 200));
      quick = await startGameServer({ turnTimeMs: 3_000 });
      const third = await TestClient.connect(quick.wsUrl, token);
      third.seq = seqAfter;
      const resumed = await third.request({ type: "battle.resume", battleId });
      assert.equal(resumed.message.type, "battle.state");
      const timedOut = await third.waitFor((m) => m.type === "battle.events" && (m.events as Message[]).some((e) => e.type === "turn_ended" && e.reason === "timeout"), resumed.index);
      assert.ok(timedOut.index > resumed.index);
      readable(third, battleId);
      third.close();
    } finally {
      await quick.close();
    }
  });

  it("ends a turn by the timer when the player does nothing, and an idle player loses", async () => {
    const quick = await startGameServer({ turnTimeMs: 1_000 });
    try {
      const { playerId, token } = await signedIn();
      const client = await TestClient.connect(quick.wsUrl, token);
      const started = await client.request({ type: "practice.start" });
      const battleId = started.message.battleId as string;
      const ended = await client.waitFor((m) => m.type === "battle.ended" && m.battleId === battleId, 0, 15_000);
      assert.deepEqual(ended.message.result, { winnerId: PRACTICE_BOT_ID, reason: "idle" });
      const timeouts = client.all.flatMap((m) => (m.events ?? []) as Message[]).filter((e) => e.type === "turn_ended" && e.reason === "timeout" && e.playerId === playerId);
      assert.equal(timeouts.length, 3);
      const rows = await storedActions(battleId);
      assert.equal(rows.filter((row) => row.player_id === null).length, 3, "three timer actions stored");
      client.close();
    } finally {
      await quick.close();
    }
  });
});

