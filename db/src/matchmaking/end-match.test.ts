import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import type { ClientBase, Pool } from "pg";
import type { BattleResult } from "@harvest/core/battle/state";
import { battleParams } from "@harvest/core/battle/testing/fixtures";
import { newRating } from "@harvest/core/rating/rate-match";
import { appendActionsWithEvents, BATTLE_MOVED_CHANNEL, parseBattleMoved, type ActionToAppend } from "../battles/battle-store.ts";
import { listenChannel } from "../listen-channel.ts";
import { findOrCreatePlayer } from "../players/players.ts";
import { withTransaction } from "../pool.ts";
import { createTestDatabase, type TestDatabase } from "../testing/test-database.ts";
import { endBattle, readRatings } from "./end-match.ts";
import { enterQueue, slotStateOf } from "./player-slots.ts";
import { isRated, planSettlement, type SettlementPlan } from "./settle-match.ts";
import { startMatches } from "./start-matches.ts";

describe("ending a match", () => {
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase("end_match");
  });
  after(async () => {
    await db?.drop();
  });

  type Match = { battleId: string; mode: "ranked" | "casual"; players: [string, string] };

  let addresses = 0;
  const newPlayer = async () => (await findOrCreatePlayer(db.pool, `0x${(0xe000 + ++addresses).toString(16).padStart(40, "0")}`)).id;

  /** Two new players queued in `mode` and matched to a new battle, as the matchmaker does it. */
  async function newMatch(mode: Match["mode"]): Promise<Match> {
    const players: [string, string] = [await newPlayer(), await newPlayer()];
    for (const playerId of players) assert.ok(await enterQueue(db.pool, { playerId, mode, deckId: randomUUID(), deckPower: 10, inviteCode: null }));
    const params = battleParams({ battleId: randomUUID() });
    await withTransaction(db.pool, (client) => startMatches(client, [{ battleId: params.battleId, mode, params, players, notice: "started" }], "test_end_match"));
    return { battleId: params.battleId, mode, players };
  }

  const concede = (match: Match, seq: number, playerId: string, clientSeq: number | null): ActionToAppend => ({
    battleId: match.battleId,
    seq,
    playerId,
    clientSeq,
    action: { type: "concede", playerId },
    nowMs: 10_000 + seq,
  });
  const winnerAgainst = (match: Match, loser: string): BattleResult => ({ winnerId: match.players.find((p) => p !== loser)!, reason: "concede" });

  /** Ends `match` with `final` as the game server does: the ratings read, the settlement planned, one write. */
  async function end(
    match: Match,
    final: ActionToAppend,
    { origin = "p1", endedAt = new Date("2026-11-15T12:00:00Z"), via = db.pool as Pool | ClientBase } = {},
  ): Promise<{ stored: boolean; plan: SettlementPlan }> {
    const result = winnerAgainst(match, final.playerId!);
    const plan = planSettlement({ battleId: match.battleId, mode: match.mode, players: match.players, result, seed: `seed-${match.battleId}`, endedAt }, isRated(match.mode) ? await readRatings(via, match.players) : null);
    const end = { mode: match.mode, players: match.players, result, finalHash: `0xhash-${final.seq}-${final.playerId}` };
    return { stored: await endBattle(via, final, end, plan, origin), plan };
  }

  /** Every row endBattle may write for the battle and its players, and the size of the outbox. */
  async function snapshot(match: { battleId: string; players: readonly string[] }) {
    const rows = async (text: string, values: unknown[] = []) => (await db.pool.query(text, values)).rows;
    const players = [[...match.players]];
    return {
      battle: await rows(`SELECT status, result, final_hash, ended_at, settlement FROM game.battles WHERE id = $1`, [match.battleId]),
      actions: await rows(`SELECT seq, player_id, client_seq, action, now_ms FROM game.battle_actions WHERE battle_id = $1 ORDER BY seq`, [match.battleId]),
      outbox: await rows(`SELECT count(*)::int AS n, max(id) AS last FROM game.outbox`),
      slots: await rows(`SELECT player_id, state, battle_id FROM game.player_slots WHERE player_id = ANY ($1::bigint[]) ORDER BY player_id`, players),
      ratings: await rows(`SELECT player_id, rating, rd, vol, games, updated_at FROM game.ratings WHERE player_id = ANY ($1::bigint[]) ORDER BY player_id`, players),
      leaderboard: await rows(`SELECT season, player_id, rating, wins, losses, draws, updated_at FROM game.leaderboard WHERE player_id = ANY ($1::bigint[]) ORDER BY season, player_id`, players),
      resources: await rows(`SELECT player_id, kind, quality, quantity FROM game.resources WHERE player_id = ANY ($1::bigint[]) ORDER BY player_id, kind, quality`, players),
      seeds: await rows(`SELECT id, player_id, crop, genome FROM game.seeds WHERE player_id = ANY ($1::bigint[]) ORDER BY id`, players),
    };
  }

  const lastOutboxId = async () => (await db.pool.query<{ last: string }>(`SELECT coalesce(max(id), 0)::text AS last FROM game.outbox`)).rows[0]!.last;

  it("ends a ranked match in one statement: the action, the battle's end and settlement, slots, ratings, leaderboard, rewards and events", async () => {
    const match = await newMatch("ranked");
    const [a, b] = match.players;
    const veteran = { rating: 1612.5, rd: 80.25, vol: 0.06 };
    await db.pool.query(`INSERT INTO game.ratings (player_id, rating, rd, vol, games) VALUES ($1, $2, $3, $4, 7)`, [a, veteran.rating, veteran.rd, veteran.vol]);
    await db.pool.query(`INSERT INTO game.resources (player_id, kind, quality, quantity) VALUES ($1, 'grain', 1, 10)`, [b]);
    assert.deepEqual(await readRatings(db.pool, match.players), [veteran, newRating()], "a player who never played ranked has the initial rating");
    assert.deepEqual(await appendActionsWithEvents(db.pool, [{ battleId: match.battleId, seq: 0, playerId: b, clientSeq: 1, action: { type: "end_turn", playerId: b }, nowMs: 9_000 }], "p1"), [true]);
    const since = await lastOutboxId();
    const notices: string[] = [];
    const listener = await listenChannel(db.pool, BATTLE_MOVED_CHANNEL, (payload) => notices.push(payload));
    let ended: { stored: boolean; plan: SettlementPlan };
    try {
      ended = await end(match, concede(match, 1, a, 2), { origin: "process-e" });
      for (let i = 0; i < 50 && notices.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      await listener.stop();
    }
    const { stored, plan } = ended;
    assert.equal(stored, true);
    assert.deepEqual(notices.map(parseBattleMoved), [{ origin: "process-e", moves: [{ battleId: match.battleId, seq: 1 }] }]);

    const { rows: battles } = await db.pool.query(`SELECT status, result, final_hash, ended_at, settlement FROM game.battles WHERE id = $1`, [match.battleId]);
    assert.equal(battles[0].status, "ended");
    assert.deepEqual(battles[0].result, { winnerId: b, reason: "concede" });
    assert.equal(battles[0].final_hash, "0xhash-1-" + a);
    assert.ok(battles[0].ended_at instanceof Date);
    assert.deepEqual(battles[0].settlement, plan.settlement.players);
    assert.equal(plan.settlement.players[b]!.outcome, "win");
    assert.deepEqual(plan.settlement.players[a]!.rating!.before, veteran);

    const { rows: actions } = await db.pool.query(`SELECT seq, player_id, client_seq FROM game.battle_actions WHERE battle_id = $1 ORDER BY seq`, [match.battleId]);
    assert.deepEqual(actions, [{ seq: 0, player_id: b, client_seq: "1" }, { seq: 1, player_id: a, client_seq: "2" }]);

    const { rows: events } = await db.pool.query<{ aggregate_type: string; aggregate_id: string; type: string; payload: unknown }>(
      `SELECT aggregate_type, aggregate_id, type, payload FROM game.outbox WHERE id > $1 ORDER BY id`,
      [since],
    );
    assert.deepEqual(events.map((e) => [e.aggregate_type, e.aggregate_id, e.type]), [
      ["battle", match.battleId, "battle.action_applied"],
      ["battle", match.battleId, "battle.ended"],
      ["farm", a, "farm.match_reward"],
      ["farm", b, "farm.match_reward"],
      ["battle", match.battleId, "battle.settled"],
    ]);
    assert.deepEqual(events[0]!.payload, { battleId: match.battleId, seq: 1, action: { type: "concede", playerId: a }, nowMs: 10_001 });
    assert.deepEqual(events[1]!.payload, { battleId: match.battleId, mode: "ranked", players: match.players, result: { winnerId: b, reason: "concede" }, finalHash: "0xhash-1-" + a, actions: 2 });
    assert.deepEqual(events.slice(2).map((e) => e.payload), JSON.parse(JSON.stringify(plan.events.map((e) => e.payload))));

    assert.equal(await slotStateOf(db.pool, a), null, "both slots released");
    assert.equal(await slotStateOf(db.pool, b), null);

    const { rows: ratings } = await db.pool.query(`SELECT player_id, rating, rd, vol, games FROM game.ratings WHERE player_id = ANY ($1::bigint[]) ORDER BY player_id`, [[a, b]]);
    assert.deepEqual(ratings, [
      { player_id: a, ...plan.settlement.players[a]!.rating!.after, games: 8 },
      { player_id: b, ...plan.settlement.players[b]!.rating!.after, games: 1 },
    ]);
    assert.deepEqual(await readRatings(db.pool, match.players), [plan.settlement.players[a]!.rating!.after, plan.settlement.players[b]!.rating!.after]);
    const { rows: leaderboard } = await db.pool.query(`SELECT season, player_id, rating, wins, losses, draws FROM game.leaderboard WHERE player_id = ANY ($1::bigint[]) ORDER BY player_id`, [[a, b]]);
    assert.deepEqual(leaderboard, [
      { season: "2026-11", player_id: a, rating: plan.settlement.players[a]!.rating!.after.rating, wins: 0, losses: 1, draws: 0 },
      { season: "2026-11", player_id: b, rating: plan.settlement.players[b]!.rating!.after.rating, wins: 1, losses: 0, draws: 0 },
    ]);

    const { rows: resources } = await db.pool.query(`SELECT player_id, kind, quality, quantity FROM game.resources WHERE player_id = ANY ($1::bigint[]) ORDER BY player_id, kind`, [[a, b]]);
    const paid = (playerId: string) => plan.resources.filter((r) => r.playerId === playerId).map((r) => ({ player_id: playerId, kind: r.kind, quality: r.quality, quantity: r.quantity + (playerId === b && r.kind === "grain" ? 10 : 0) }));
    assert.deepEqual(resources, [...paid(a), ...paid(b)], "added to what the winner had");
    const { rows: seeds } = await db.pool.query(`SELECT player_id, crop, genome FROM game.seeds WHERE player_id = ANY ($1::bigint[]) ORDER BY id`, [[a, b]]);
    assert.deepEqual(seeds, JSON.parse(JSON.stringify(plan.seeds.map((s) => ({ player_id: s.playerId, crop: s.seed.crop, genome: s.seed.genome })))));
    assert.ok(seeds.length > 0);
  });

  it("writes nothing for a second end of the same battle: the same seq, or a later one", async () => {
    const match = await newMatch("ranked");
    const [a, b] = match.players;
    assert.equal((await end(match, concede(match, 0, a, 1))).stored, true);
    const ended = await snapshot(match);
    assert.equal((await end(match, concede(match, 0, b, 1), { origin: "p2" })).stored, false, "same seq, the other player conceding elsewhere");
    assert.equal((await end(match, concede(match, 1, b, 2), { origin: "p2" })).stored, false, "a later seq of an ended battle");
    assert.deepEqual(await snapshot(match), ended);
  });

  it("writes nothing when the player's client seq is already stored, and the battle stays active", async () => {
    const match = await newMatch("casual");
    const [a, b] = match.players;
    assert.deepEqual(await appendActionsWithEvents(db.pool, [{ battleId: match.battleId, seq: 0, playerId: a, clientSeq: 5, action: { type: "end_turn", playerId: a }, nowMs: 9_000 }], "p1"), [true]);
    const running = await snapshot(match);
    assert.equal((await end(match, concede(match, 1, a, 5))).stored, false);
    assert.deepEqual(await snapshot(match), running);
    assert.deepEqual(running.battle.map((row) => row.status), ["active"]);
    assert.deepEqual(running.slots.map((row) => [row.player_id, row.state]), [[a, "matched"], [b, "matched"]]);
    assert.equal((await end(match, concede(match, 1, a, 6))).stored, true, "a new client seq ends it");
  });

  it("settles once when two processes end the same battle at the same time: the second waits for the first, then writes nothing", async () => {
    const match = await newMatch("ranked");
    const [a, b] = match.players;
    const since = await lastOutboxId();
    const client = await db.pool.connect();
    let first: { stored: boolean; plan: SettlementPlan };
    let second: { stored: boolean; plan: SettlementPlan };
    try {
      // The first end is held uncommitted, as if its commit were slow, while the second runs.
      await client.query("BEGIN");
      first = await end(match, concede(match, 0, a, 1), { origin: "p1", via: client });
      let waited = true;
      const racing = end(match, concede(match, 0, b, 1), { origin: "p2" }).finally(() => (waited = false));
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.ok(waited, "the second end waits on the first's action");
      await client.query("COMMIT");
      second = await racing;
    } finally {
      client.release();
    }
    assert.deepEqual([first.stored, second.stored], [true, false]);
    assert.deepEqual(second.plan.settlement.players[a]!.rating!.before, newRating(), "it had read the ratings before the first committed");
    const { rows: battles } = await db.pool.query(`SELECT result, settlement FROM game.battles WHERE id = $1`, [match.battleId]);
    assert.deepEqual(battles[0], { result: { winnerId: b, reason: "concede" }, settlement: first.plan.settlement.players });
    const { rows: ratings } = await db.pool.query(`SELECT player_id, games FROM game.ratings WHERE player_id = ANY ($1::bigint[]) ORDER BY player_id`, [[a, b]]);
    assert.deepEqual(ratings, [{ player_id: a, games: 1 }, { player_id: b, games: 1 }], "rated once");
    const { rows: resources } = await db.pool.query<{ n: string }>(`SELECT sum(quantity)::text AS n FROM game.resources WHERE player_id = ANY ($1::bigint[])`, [[a, b]]);
    assert.equal(Number(resources[0]!.n), first.plan.resources.reduce((sum, r) => sum + r.quantity, 0), "paid once");
    const { rows: events } = await db.pool.query(`SELECT 1 FROM game.outbox WHERE id > $1`, [since]);
    assert.equal(events.length, 5);
  });

  it("writes nothing for a battle that does not exist", async () => {
    const players: [string, string] = [await newPlayer(), await newPlayer()];
    const ghost: Match = { battleId: randomUUID(), mode: "ranked", players };
    const nothing = await snapshot(ghost);
    assert.equal((await end(ghost, concede(ghost, 0, players[0], 1))).stored, false);
    assert.deepEqual(await snapshot(ghost), nothing);
    assert.deepEqual([nothing.battle, nothing.actions, nothing.ratings, nothing.resources, nothing.seeds], [[], [], [], [], []]);
  });

  it("pays a casual match's rewards without rating it", async () => {
    const match = await newMatch("casual");
    const [a, b] = match.players;
    const since = await lastOutboxId();
    const { stored, plan } = await end(match, concede(match, 0, b, 1));
    assert.equal(stored, true);
    assert.deepEqual(Object.values(plan.settlement.players).map((p) => [p.outcome, p.rating]), [["win", null], ["loss", null]]);
    const after = await snapshot(match);
    assert.deepEqual(after.battle.map((row) => [row.status, row.settlement]), [["ended", plan.settlement.players]]);
    assert.deepEqual([after.slots, after.ratings, after.leaderboard], [[], [], []]);
    assert.deepEqual(after.resources, plan.resources.map((r) => ({ player_id: r.playerId, kind: r.kind, quality: r.quality, quantity: r.quantity })));
    assert.equal(after.seeds.length, plan.seeds.length);
    assert.ok(after.seeds.every((s) => s.player_id === a), "the winner's seed");
    const { rows: events } = await db.pool.query<{ type: string }>(`SELECT type FROM game.outbox WHERE id > $1 ORDER BY id`, [since]);
    assert.deepEqual(events.map((e) => e.type), ["battle.action_applied", "battle.ended", "farm.match_reward", "farm.match_reward", "battle.settled"]);
  });
});
