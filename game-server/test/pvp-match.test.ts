import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { CreateBattleParams } from "@harvest/core/battle/create-battle";
import { hashState, replayBattle, type LoggedAction } from "@harvest/core/battle/replay";
import { compactViewFor, type CompactBattleView } from "@harvest/core/battle/compact-views";
import type { BattleView } from "@harvest/core/battle/views";
import { createLogger } from "@harvest/core/logging/logger";
import { rateMatch, type Rating } from "@harvest/core/rating/rate-match";
import { openSession, revokeSession } from "@harvest/db/auth/sessions";
import { createTokenService, type TokenService } from "@harvest/db/auth/token-service";
import { createDeckService } from "@harvest/db/decks/deck-service";
import { reconcileHoldings } from "@harvest/db/farm/reconcile";
import { createOwnershipReader } from "@harvest/db/ownership/ownership-reader";
import { findOrCreatePlayer } from "@harvest/db/players/players";
import { createTestDatabase, type TestDatabase } from "@harvest/db/testing/test-database";
import { startGameServer, type GameServer } from "../src/game-server.ts";
import { pickAction, TestClient, toClientAction, type Message } from "./test-client.ts";

const SECRET = "pvp-test-secret-0123456789abcdef0123";

type ReplayBody = { status: string; finalHash: string | null; result: unknown; params: CreateBattleParams; actions: (LoggedAction & { seq: number })[] };

describe("matches between players over the game server's socket", () => {
  let db: TestDatabase;
  let tokens: TokenService;
  let game: GameServer;
  let playerCount = 0;
  const logger = createLogger("pvp-test", "silent");

  const start = (options: { reconnectGraceMs?: number; turnTimeMs?: number; matchTickIntervalMs?: number } = {}) =>
    startGameServer({
      pool: db.pool,
      tokens,
      logger,
      ownership: createOwnershipReader({ pool: db.pool, viewsSchema: "chain" }),
      checkHealth: async () => ({ ok: true, database: { ok: true }, chain: { ok: true }, indexer: { ok: true } }) as never,
      port: 0,
      hostname: "127.0.0.1",
      allowedOrigins: [],
      matchTickIntervalMs: 50,
      graceSweepIntervalMs: 100,
      maxMessagesPerSecond: 1_000,
      ...options,
    });

  before(async () => {
    db = await createTestDatabase("pvp_match");
    tokens = createTokenService({ pool: db.pool, secret: SECRET });
    await tokens.start();
    game = await start();
  });

  after(async () => {
    await game?.close();
    await tokens?.stop();
    await db?.drop();
  });

  /** A signed-in player with the starter pack and its "Starter" deck. */
  async function player() {
    playerCount += 1;
    const address = `0x${(0xc000 + playerCount).toString(16).padStart(40, "0")}`;
    const row = await findOrCreatePlayer(db.pool, address);
    const { session } = await openSession(db.pool, row, 3_600_000);
    const { token } = await tokens.issueAccessToken(session);
    const decks = createDeckService({ pool: db.pool, ownership: createOwnershipReader({ pool: db.pool, viewsSchema: "chain" }) });
    const pack = await decks.claimStarterPack({ playerId: row.id, address });
    return { playerId: row.id, address, token, sessionId: session.id, deckId: pack.deck.id as string, cardIds: pack.deck.cardIds as string[] };
  }

  const storedActions = async (battleId: string) => (await db.pool.query<{ seq: number }>(`SELECT seq FROM game.battle_actions WHERE battle_id = $1 ORDER BY seq`, [battleId])).rows.length;
  const slotOf = async (playerId: string) => (await db.pool.query<{ state: string; disconnected_at: Date | null }>(`SELECT state, disconnected_at FROM game.player_slots WHERE player_id = $1`, [playerId])).rows[0] ?? null;

  /** Two players (with `ratings` from earlier seasons' play, if given) queue in `mode`; returns their clients and the started battle. */
  async function matched(mode: "ranked" | "casual" = "ranked", ratings?: readonly [Rating, Rating]) {
    const a = await player();
    const b = await player();
    for (const [i, rating] of (ratings ?? []).entries()) {
      await db.pool.query(`INSERT INTO game.ratings (player_id, rating, rd, vol, games) VALUES ($1, $2, $3, $4, 9)`, [[a, b][i]!.playerId, rating.rating, rating.rd, rating.vol]);
    }
    const ca = await TestClient.connect(game.wsUrl, a.token);
    const cb = await TestClient.connect(game.wsUrl, b.token);
    const ja = await ca.request({ type: "queue.join", mode, deckId: a.deckId });
    assert.equal(ja.message.type, "queue.joined", JSON.stringify(ja.message));
    assert.equal((await cb.request({ type: "queue.join", mode, deckId: b.deckId })).message.type, "queue.joined");
    const sa = (await ca.waitFor((m) => m.type === "battle.started")).message;
    const sb = (await cb.waitFor((m) => m.type === "battle.started")).message;
    assert.equal(sa.battleId, sb.battleId);
    assert.equal(sa.mode, mode);
    assert.equal(sa.seq, null);
    return {
      a,
      b,
      ca,
      cb,
      battleId: sa.battleId as string,
      /** The first snapshots as sent, and as the clients read them (whole cards). */
      snapshots: { [a.playerId]: sa.view as CompactBattleView, [b.playerId]: sb.view as CompactBattleView },
      views: { [a.playerId]: ca.viewOf(sa), [b.playerId]: cb.viewOf(sb) },
    };
  }

  /** Both players play (first legal play or attack, else end turn) until the battle ends; `quitter` concedes at `concedeAtTurn`. */
  async function playOut(players: { playerId: string; client: TestClient }[], battleId: string, options: { quitter?: string; concedeAtTurn?: number } = {}): Promise<[Message, Message]> {
    for (let step = 0; step < 2_000; step++) {
      const latest = players.map((p) => ({ ...p, view: lastView(p.client, battleId) }));
      if (latest.some((p) => p.view?.result != null)) break;
      const active = latest.find((p) => p.view !== null && p.view.activePlayerId === p.playerId && p.view.you.playerId === p.playerId);
      if (active === undefined) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        continue;
      }
      const view = active.view!;
      const concede = active.playerId === options.quitter && view.turn >= (options.concedeAtTurn ?? Infinity);
      const action = concede ? { type: "concede" } : toClientAction(pickAction(view));
      const answer = await active.client.request({ type: "battle.action", battleId, action });
      assert.equal(answer.message.type, "battle.events", `refused: ${JSON.stringify(answer.message)} for ${JSON.stringify(action)}`);
    }
    const ended = await Promise.all(players.map(async (p) => (await p.client.waitFor((m) => m.type === "battle.ended" && m.battleId === battleId)).message));
    return ended as [Message, Message];
  }

  /** The client's view of a battle (cards by id) after the last message about it. */
  const lastCompactView = (client: TestClient, battleId: string) => client.compactViewOf(client.all.filter((m) => m.battleId === battleId && client.hasView(m)).at(-1)!);

  function lastView(client: TestClient, battleId: string): BattleView | null {
    for (let i = client.all.length - 1; i >= 0; i--) {
      const m = client.all[i] as Message;
      if (m.battleId === battleId && client.hasView(m)) return client.viewOf(m);
    }
    return null;
  }

  async function replayOf(battleId: string, token: string): Promise<ReplayBody> {
    const response = await fetch(`${game.httpUrl}/v1/battles/${battleId}/replay`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(response.status, 200);
    return (await response.json()) as ReplayBody;
  }

  it("pairs two queued players soon after the second joins, not at the next interval tick", async () => {
    // The suite's server pairs every 50 ms: it must not be the one that pairs them here.
    await game.close();
    const slow = await start({ matchTickIntervalMs: 60_000 });
    try {
      const [a, b] = [await player(), await player()];
      const [ca, cb] = [await TestClient.connect(slow.wsUrl, a.token), await TestClient.connect(slow.wsUrl, b.token)];
      assert.equal((await ca.request({ type: "queue.join", mode: "casual", deckId: a.deckId })).message.type, "queue.joined");
      const joined = Date.now();
      assert.equal((await cb.request({ type: "queue.join", mode: "casual", deckId: b.deckId })).message.type, "queue.joined");
      const started = await cb.waitFor((m) => m.type === "battle.started", 0, 5_000);
      assert.ok(Date.now() - joined < 5_000, "matched long before the 60 s interval");
      assert.equal((await ca.waitFor((m) => m.type === "battle.started")).message.battleId, started.message.battleId);
      await ca.request({ type: "battle.action", battleId: started.message.battleId, action: { type: "concede" } });
      ca.close();
      cb.close();
    } finally {
      await slow.close();
      game = await start();
    }
  });

  it("settles a ranked match from the ratings its players had when it was made, not from a later change", async () => {
    const prior: [Rating, Rating] = [
      { rating: 1545, rd: 80.5, vol: 0.06 },
      { rating: 1502.25, rd: 120, vol: 0.0599 },
    ];
    const { a, b, ca, cb, battleId } = await matched("ranked", prior);
    // Nothing in the game moves a rating mid-match (a player is in one match at a time); an operator's
    // edit does not move this match's settlement either: it was read with the slots when the match was made.
    await db.pool.query(`UPDATE game.ratings SET rating = 1000, rd = 300 WHERE player_id = ANY ($1::bigint[])`, [[a.playerId, b.playerId]]);
    assert.equal((await ca.request({ type: "battle.action", battleId, action: { type: "concede" } })).message.type, "battle.events");
    const [endA, endB] = [(await ca.waitFor((m) => m.type === "battle.ended")).message, (await cb.waitFor((m) => m.type === "battle.ended")).message];
    const rated = rateMatch({ a: prior[0], b: prior[1], result: "b" });
    assert.deepEqual(endA.settlement.rating, { before: prior[0], after: rated.a });
    assert.deepEqual(endB.settlement.rating, { before: prior[1], after: rated.b });
    ca.close();
    cb.close();
  });

  it("plays a full ranked match: ratings, leaderboard and rewards settle with the end; the replay equals the live result", async () => {
    const prior: [Rating, Rating] = [
      { rating: 1580.5, rd: 92.25, vol: 0.0601 },
      { rating: 1490, rd: 140.5, vol: 0.0598 },
    ];
    const { a, b, ca, cb, battleId, snapshots } = await matched("ranked", prior);
    // Each player's first snapshot shows its own hand only; the opponent's hand is a count.
    for (const id of [a.playerId, b.playerId]) {
      const view = snapshots[id]!;
      assert.equal(view.you.playerId, id);
      assert.equal("hand" in view.opponent, false, "the opponent's hand is not in the snapshot");
      assert.equal("deck" in view.you, false, "no deck order in the snapshot");
    }
    const [endA, endB] = await playOut(
      [
        { playerId: a.playerId, client: ca },
        { playerId: b.playerId, client: cb },
      ],
      battleId,
      { quitter: b.playerId, concedeAtTurn: 8 },
    );
    assert.deepEqual(endA.result, endB.result);
    const winner = endA.result.winnerId as string;
    const loser = winner === a.playerId ? b.playerId : a.playerId;
    const byPlayer = { [a.playerId]: endA, [b.playerId]: endB };
    assert.equal(byPlayer[winner]!.settlement.outcome, "win");
    assert.equal(byPlayer[loser]!.settlement.outcome, "loss");
    assert.ok(byPlayer[winner]!.settlement.rating.after.rating > byPlayer[winner]!.settlement.rating.before.rating);
    assert.ok(byPlayer[loser]!.settlement.rating.after.rating < byPlayer[loser]!.settlement.rating.before.rating);
    // Settled from each player's own rating as it stood (their seat's, with its volatility), by Glicko-2.
    const rated = rateMatch({ a: prior[0], b: prior[1], result: winner === a.playerId ? "a" : "b" });
    assert.deepEqual(endA.settlement.rating, { before: prior[0], after: rated.a });
    assert.deepEqual(endB.settlement.rating, { before: prior[1], after: rated.b });

    const ratings = (await db.pool.query<{ player_id: string; rating: number; games: number }>(`SELECT player_id, rating, games FROM game.ratings WHERE player_id = ANY ($1::bigint[])`, [[a.playerId, b.playerId]])).rows;
    assert.equal(ratings.length, 2);
    assert.equal(ratings.find((r) => r.player_id === winner)?.rating, byPlayer[winner]!.settlement.rating.after.rating);
    const board = (await db.pool.query<{ player_id: string; wins: number; losses: number }>(`SELECT player_id, wins, losses FROM game.leaderboard WHERE player_id = ANY ($1::bigint[])`, [[a.playerId, b.playerId]])).rows;
    assert.deepEqual(board.find((r) => r.player_id === winner), { player_id: winner, wins: 1, losses: 0 });
    assert.deepEqual(board.find((r) => r.player_id === loser), { player_id: loser, wins: 0, losses: 1 });
    const grain = async (id: string) => (await db.pool.query<{ quantity: number }>(`SELECT quantity FROM game.resources WHERE player_id = $1 AND kind = 'grain'`, [id])).rows[0]?.quantity ?? 0;
    assert.ok((await grain(winner)) > (await grain(loser)) && (await grain(loser)) > 0, "both paid, the winner more");
    assert.equal(await slotOf(a.playerId), null, "the match freed both slots");
    assert.equal(await slotOf(b.playerId), null);
    assert.deepEqual(await reconcileHoldings(db.pool), [], "rewards reconcile with the farm ledger");

    const replay = await replayOf(battleId, a.token);
    const replayed = replayBattle(replay.params, replay.actions);
    assert.ok(replayed.ok, JSON.stringify(replayed));
    assert.equal(hashState(replayed.state), replay.finalHash);
    assert.deepEqual(replayed.state.result, endA.result);
    assert.deepEqual(lastCompactView(ca, battleId), compactViewFor(replayed.state, a.playerId), "the view the changes made is the final state's");
    assert.deepEqual(lastCompactView(cb, battleId), compactViewFor(replayed.state, b.playerId));
    ca.close();
    cb.close();
  });

  it("keeps a player to one queue or match, and refuses illegal actions with codes and no state change", async () => {
    const { a, b, ca, cb, battleId, views } = await matched("casual");
    const again = await ca.request({ type: "queue.join", mode: "ranked", deckId: a.deckId });
    assert.equal(again.message.code, "CONFLICT");
    assert.equal((await ca.request({ type: "invite.create", deckId: a.deckId })).message.code, "CONFLICT");

    const activeId = views[a.playerId]!.activePlayerId;
    const [mover, idle] = activeId === a.playerId ? [ca, cb] : [cb, ca];
    const moverView = views[activeId]!;
    const before = await storedActions(battleId);
    const outOfTurn = await idle.request({ type: "battle.action", battleId, action: { type: "end_turn" } });
    assert.equal(outOfTurn.message.type, "error");
    assert.equal(outOfTurn.message.code, "NOT_YOUR_TURN");
    const notInHand = await mover.request({ type: "battle.action", battleId, action: { type: "play_card", cardId: "c999999999" } });
    assert.equal(notInHand.message.code, "CARD_NOT_IN_HAND");
    const opponentCard = await mover.request({ type: "battle.action", battleId, action: { type: "play_card", cardId: `c${(activeId === a.playerId ? b : a).cardIds[0]}` } });
    assert.equal(opponentCard.message.code, "CARD_NOT_IN_HAND");
    const expensive = moverView.you.hand.find((card) => card.cost > moverView.you.mana);
    if (expensive !== undefined) assert.equal((await mover.request({ type: "battle.action", battleId, action: { type: "play_card", cardId: expensive.id } })).message.code, "NOT_ENOUGH_MANA");
    assert.equal(await storedActions(battleId), before, "nothing refused was stored");
    // Concede ends it; both slots are free again.
    assert.equal((await mover.request({ type: "battle.action", battleId, action: { type: "concede" } })).message.type, "battle.events");
    await idle.waitFor((m) => m.type === "battle.ended");
    assert.equal((await ca.request({ type: "queue.join", mode: "casual", deckId: a.deckId })).message.type, "queue.joined");
    assert.equal((await ca.request({ type: "queue.leave" })).message.type, "queue.left");
    ca.close();
    cb.close();
  });

  it("drops a queued player whose card left their hands since they built the deck; the other stays queued", async () => {
    const a = await player();
    const b = await player();
    const ca = await TestClient.connect(game.wsUrl, a.token);
    const cb = await TestClient.connect(game.wsUrl, b.token);
    // b's deck is checked when they queue; then one of its cards goes to someone else.
    await game.matchmaker.close();
    try {
      assert.equal((await cb.request({ type: "queue.join", mode: "casual", deckId: b.deckId })).message.type, "queue.joined");
      const stranger = await player();
      await db.pool.query(`UPDATE game.cards SET holder_id = $1 WHERE id = $2`, [stranger.playerId, b.cardIds[0]]);
      assert.equal((await ca.request({ type: "queue.join", mode: "casual", deckId: a.deckId })).message.type, "queue.joined");
      await game.matchmaker.tick();
    } finally {
      await game.matchmaker.start();
    }
    const removed = (await cb.waitFor((m) => m.type === "queue.removed")).message;
    assert.equal(removed.code, "RULE_VIOLATION");
    assert.deepEqual(removed.details, { reason: "CARDS_NOT_USABLE", cardIds: [b.cardIds[0]] });
    assert.equal(await slotOf(b.playerId), null);
    assert.equal((await slotOf(a.playerId))?.state, "queued", "the partner waits for another match");
    // Queuing again with that deck is refused at once.
    const retry = await cb.request({ type: "queue.join", mode: "casual", deckId: b.deckId });
    assert.equal(retry.message.code, "RULE_VIOLATION");
    assert.equal(ca.all.some((m) => m.type === "battle.started"), false);
    ca.close();
    cb.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(await slotOf(a.playerId), null, "closing the connection left the queue");
  });

  it("starts a private match by invite code", async () => {
    const host = await player();
    const guest = await player();
    const ch = await TestClient.connect(game.wsUrl, host.token);
    const cg = await TestClient.connect(game.wsUrl, guest.token);
    const invite = await ch.request({ type: "invite.create", deckId: host.deckId });
    assert.match(invite.message.code as string, /^[A-HJKMNP-Z2-9]{8}$/);
    assert.equal((await cg.request({ type: "invite.accept", code: "ZZZZZZZZ", deckId: guest.deckId })).message.code, "NOT_FOUND");
    const own = await ch.request({ type: "invite.accept", code: invite.message.code, deckId: host.deckId });
    assert.deepEqual([own.message.code, own.message.details], ["RULE_VIOLATION", { reason: "OWN_INVITE" }]);
    const accepted = await cg.request({ type: "invite.accept", code: invite.message.code, deckId: guest.deckId });
    assert.equal(accepted.message.type, "battle.started");
    assert.equal(accepted.message.mode, "private");
    const hostStart = (await ch.waitFor((m) => m.type === "battle.started")).message;
    assert.equal(hostStart.battleId, accepted.message.battleId);
    assert.equal((await cg.request({ type: "invite.accept", code: invite.message.code, deckId: guest.deckId })).message.code, "NOT_FOUND", "a code starts one match");
    const battleId = accepted.message.battleId as string;
    await playOut(
      [
        { playerId: host.playerId, client: ch },
        { playerId: guest.playerId, client: cg },
      ],
      battleId,
      { quitter: guest.playerId, concedeAtTurn: 3 },
    );
    assert.equal((await db.pool.query(`SELECT 1 FROM game.ratings WHERE player_id = ANY ($1::bigint[])`, [[host.playerId, guest.playerId]])).rowCount, 0, "private matches are not rated");
    ch.close();
    cg.close();
  });

  it("gives a dropped player a grace period: back in time resumes from the full state; too late forfeits", async () => {
    await game.close();
    game = await start({ reconnectGraceMs: 1_500 });
    const { a, b, ca, cb, battleId } = await matched("casual");

    // a drops and comes back within the grace period.
    ca.close();
    const away = (await cb.waitFor((m) => m.type === "battle.opponent" && m.status === "disconnected")).message;
    assert.equal(away.playerId, a.playerId);
    assert.ok((await slotOf(a.playerId))?.disconnected_at instanceof Date);
    const back = await TestClient.connect(game.wsUrl, a.token);
    back.seq = ca.seq;
    const resumed = await back.request({ type: "battle.resume", battleId });
    assert.equal(resumed.message.type, "battle.state");
    assert.equal(back.viewOf(resumed.message).you.hand.length > 0, true, "the full current state, own hand included");
    await cb.waitFor((m) => m.type === "battle.opponent" && m.status === "reconnected");
    assert.equal((await slotOf(a.playerId))?.disconnected_at, null);

    // Then a drops for good: after the grace period they forfeit.
    back.close();
    const ended = (await cb.waitFor((m) => m.type === "battle.ended", 0, 10_000)).message;
    assert.deepEqual(ended.result, { winnerId: b.playerId, reason: "concede" });
    assert.equal(await slotOf(a.playerId), null);
    cb.close();
  });

  it("resumes a match after a game-server restart, from its stored events", async () => {
    const { a, b, ca, cb, battleId } = await matched("ranked");
    const players = [
      { playerId: a.playerId, client: ca },
      { playerId: b.playerId, client: cb },
    ];
    // A few turns, then the server goes away.
    for (let i = 0; i < 6; i++) {
      const active = players.find((p) => lastView(p.client, battleId)?.activePlayerId === p.playerId && lastView(p.client, battleId)?.you.playerId === p.playerId);
      if (active === undefined) break;
      const answer = await active.client.request({ type: "battle.action", battleId, action: toClientAction(pickAction(lastView(active.client, battleId)!)) });
      assert.equal(answer.message.type, "battle.events");
    }
    const storedBefore = await storedActions(battleId);
    const viewsBefore = players.map((p) => lastView(p.client, battleId));
    await game.close();
    game = await start({ reconnectGraceMs: 60_000 });
    assert.ok(game.battles.liveCount() >= 1, "active battles were adopted at start-up");

    const again = await Promise.all(
      players.map(async (p, i) => {
        const client = await TestClient.connect(game.wsUrl, i === 0 ? a.token : b.token);
        client.seq = p.client.seq;
        const resumed = await client.request({ type: "battle.resume", battleId });
        assert.equal(resumed.message.type, "battle.state");
        assert.deepEqual(client.viewOf(resumed.message), viewsBefore[i], "the same state as before the restart");
        return { playerId: p.playerId, client };
      }),
    );
    assert.equal(await storedActions(battleId), storedBefore);
    const [end] = await playOut(again, battleId, { quitter: a.playerId, concedeAtTurn: 10 });
    const replay = await replayOf(battleId, b.token);
    const replayed = replayBattle(replay.params, replay.actions);
    assert.ok(replayed.ok);
    assert.equal(hashState(replayed.state), replay.finalHash);
    assert.deepEqual(replayed.state.result, end.result);
    for (const p of again) p.client.close();
  });

  it("carries chat and presence over the same connection: lobby, the match's channel, and the opponent in_match", async () => {
    const { a, b, ca, cb, battleId } = await matched("casual");
    const outsider = await player();
    const co = await TestClient.connect(game.wsUrl, outsider.token);
    const sent = await ca.request({ type: "chat.send", channel: "lobby", text: "  good luck  " });
    assert.equal(sent.message.type, "chat.sent");
    for (const client of [cb, co]) {
      const heard = (await client.waitFor((m) => m.type === "chat.message" && m.id === sent.message.id)).message;
      assert.deepEqual([heard.channel, heard.text, heard.from.playerId], ["lobby", "good luck", a.playerId]);
    }
    const channel = `battle:${battleId}`;
    const said = await cb.request({ type: "chat.send", channel, text: "gg" });
    assert.equal(said.message.type, "chat.sent");
    await ca.waitFor((m) => m.type === "chat.message" && m.channel === channel && m.text === "gg");
    assert.equal((await co.request({ type: "chat.send", channel, text: "hi" })).message.code, "FORBIDDEN");
    assert.equal((await co.request({ type: "chat.history", channel })).message.code, "FORBIDDEN");
    const history = await ca.request({ type: "chat.history", channel });
    assert.deepEqual(history.message.messages.map((m: Message) => m.text), ["gg"]);
    assert.equal(co.all.some((m) => m.channel === channel), false, "nothing of the match's channel reached the outsider");
    const presence = await ca.request({ type: "presence.get" });
    assert.deepEqual(presence.message.players.find((p: Message) => p.playerId === b.playerId)?.status, "in_match");
    ca.close();
    cb.close();
    co.close();
  });

  it("plays a match whose players are connected to two game-server processes", async () => {
    const other = await start();
    try {
      const a = await player();
      const b = await player();
      const ca = await TestClient.connect(game.wsUrl, a.token);
      const cb = await TestClient.connect(other.wsUrl, b.token);
      assert.equal((await ca.request({ type: "queue.join", mode: "ranked", deckId: a.deckId })).message.type, "queue.joined");
      // Queued on one process, b may not queue again on the other.
      assert.equal((await cb.request({ type: "queue.join", mode: "ranked", deckId: b.deckId })).message.type, "queue.joined");
      const again = await TestClient.connect(game.wsUrl, b.token);
      assert.equal((await again.request({ type: "queue.join", mode: "casual", deckId: b.deckId })).message.code, "CONFLICT");
      again.close();
      const sa = (await ca.waitFor((m) => m.type === "battle.started")).message;
      const sb = (await cb.waitFor((m) => m.type === "battle.started")).message;
      assert.equal(sa.battleId, sb.battleId);
      const battleId = sa.battleId as string;
      const [endA, endB] = await playOut(
        [
          { playerId: a.playerId, client: ca },
          { playerId: b.playerId, client: cb },
        ],
        battleId,
        { quitter: a.playerId, concedeAtTurn: 6 },
      );
      assert.deepEqual(endA.result, { winnerId: b.playerId, reason: "concede" });
      assert.deepEqual(endB.result, endA.result);
      assert.equal(endA.settlement.outcome, "loss");
      assert.equal(endB.settlement.outcome, "win");
      // Each player saw every move, in order, through its own process.
      const eventsSeen = (client: TestClient) => client.all.filter((m) => m.type === "battle.events" && m.battleId === battleId).flatMap((m) => (m.events as Message[]).map((event) => event.type as string));
      assert.deepEqual(eventsSeen(ca), eventsSeen(cb));
      assert.ok(eventsSeen(ca).filter((type) => type === "turn_ended").length >= 5, "the whole match was seen");
      const replay = await replayOf(battleId, a.token);
      const replayed = replayBattle(replay.params, replay.actions);
      assert.ok(replayed.ok);
      assert.equal(hashState(replayed.state), replay.finalHash);
      assert.deepEqual(
        [lastCompactView(ca, battleId), lastCompactView(cb, battleId)],
        [compactViewFor(replayed.state, a.playerId), compactViewFor(replayed.state, b.playerId)],
        "each client's view, made from its snapshot and every change since, is the final state's",
      );
      ca.close();
      cb.close();
    } finally {
      await other.close();
    }
  });

  it("practises against the bot with one of the player's decks, not with another's", async () => {
    const me = await player();
    const other = await player();
    const client = await TestClient.connect(game.wsUrl, me.token);
    const started = await client.request({ type: "practice.start", deckId: me.deckId });
    assert.equal(started.message.type, "battle.started");
    const own = new Set(me.cardIds.map((id) => `c${id}`));
    const hand = client.viewOf(started.message).you.hand;
    assert.ok(hand.length > 0 && hand.every((card) => own.has(card.id)), "the hand comes from the player's deck");
    assert.equal((await client.request({ type: "practice.start", deckId: other.deckId })).message.code, "NOT_FOUND");
    assert.equal(await slotOf(me.playerId), null, "practice takes no matchmaking slot");
    client.close();
  });

  it("closes a revoked session's socket mid-match within a second; the opponent is told", async () => {
    const { a, ca, cb, battleId } = await matched("casual");
    const closed = new Promise<number>((resolve) => ca.ws.once("close", (code) => resolve(code)));
    const revokedAt = Date.now();
    await revokeSession(db.pool, a.sessionId, a.playerId);
    assert.equal(await closed, 4401);
    assert.ok(Date.now() - revokedAt < 1_000, `closed after ${Date.now() - revokedAt} ms`);
    const away = (await cb.waitFor((m) => m.type === "battle.opponent" && m.battleId === battleId)).message;
    assert.equal(away.playerId, a.playerId);
    // The revoked token cannot come back.
    await assert.rejects(TestClient.connect(game.wsUrl, a.token));
    cb.close();
  });
});
