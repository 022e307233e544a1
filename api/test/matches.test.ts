import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import type { BattleAction } from "@harvest/core/battle/actions";
import { applyAction } from "@harvest/core/battle/apply-action";
import { chooseBotAction } from "@harvest/core/battle/bot";
import type { CardDef } from "@harvest/core/battle/cards";
import { createBattle as createEngineBattle, type CreateBattleParams } from "@harvest/core/battle/create-battle";
import { createRng, rngStateFromSeed } from "@harvest/core/battle/random";
import { hashState, replayBattle } from "@harvest/core/battle/replay";
import { STARTER_COPIES, starterCardKey, starterTemplates } from "@harvest/core/battle/starter-cards";
import type { BattleState } from "@harvest/core/battle/state";
import { viewFor } from "@harvest/core/battle/views";
import { ratingRules } from "@harvest/core/rating/rate-match";
import { appendActionsWithEvents, createBattle } from "@harvest/db/battles/battle-store";
import { endBattle, readRatings } from "@harvest/db/matchmaking/end-match";
import { isRated, planSettlement, type MatchSettlement } from "@harvest/db/matchmaking/settle-match";
import { withTransaction } from "@harvest/db/pool";
import { createTestDatabase, type TestDatabase } from "@harvest/db/testing/test-database";
import { bearer, login } from "../src/testing/siwe-client.ts";
import { createTestApp } from "../src/testing/test-app.ts";

const BOT = "practice-bot";

/** The fixed starter deck, its card ids tagged so that the two decks of a battle never share one. */
const starterDeck = (tag: string): CardDef[] =>
  starterTemplates.flatMap((t) => Array.from({ length: STARTER_COPIES }, (_, i) => ({ id: `${tag}.${t.key}.${i + 1}`, cardKey: starterCardKey(t.key), kind: t.kind, cost: t.cost, attack: t.attack, health: t.health, abilities: t.abilities })));

// Test bodies are read loosely; the routes' schemas are checked by the OpenAPI document and the fuzz test.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = Record<string, any>;

describe("match history, replays, leaderboards and ratings through the API", () => {
  let db: TestDatabase;
  let testApp: Awaited<ReturnType<typeof createTestApp>>;

  before(async () => {
    db = await createTestDatabase("matches");
    testApp = await createTestApp({ pool: db.pool, rpcUrl: "http://127.0.0.1:1", chainId: 31337 });
  });
  after(async () => {
    await testApp?.stop();
    await db?.drop();
  });

  /** A signed-in player (with a display name when given) and a GET that returns status and body. */
  async function newPlayer(displayName?: string) {
    const tokens = await login(testApp.app, privateKeyToAccount(generatePrivateKey()));
    const get = async (path: string) => {
      const response = await testApp.app.request(path, bearer(tokens.token));
      return { status: response.status, body: (await response.json()) as Body, headers: response.headers };
    };
    if (displayName !== undefined) {
      const named = await testApp.app.request("/v1/me", bearer(tokens.token, { method: "PATCH", body: JSON.stringify({ displayName }) }));
      assert.equal(named.status, 200);
    }
    const me = await get("/v1/me");
    return { playerId: me.body.id as string, get };
  }

  /**
   * A battle stored as the game server stores it: created, `plies` actions chosen by the practice
   * bot's policy for whoever is active, and (unless `running`) conceded by `players[1]`, ended and,
   * for a match between players, settled (`endedAt` decides its season).
   */
  async function playBattle(options: { mode: "practice" | "casual" | "ranked"; players: [string, string]; plies?: number; running?: boolean; endedAt?: Date }) {
    const { mode, players, plies = 12, running = false, endedAt = new Date() } = options;
    const params: CreateBattleParams = {
      battleId: randomUUID(),
      seed: randomBytes(32).toString("hex"),
      players: [
        { playerId: players[0], deck: starterDeck("a") },
        { playerId: players[1], deck: starterDeck("b") },
      ],
      startedAtMs: 1_000_000,
      turnTimeMs: 75_000,
    };
    const created = createEngineBattle(params);
    assert.ok(created.ok);
    let state: BattleState = created.state;
    let nowMs = params.startedAtMs;
    const apply = (action: BattleAction) => {
      nowMs += 500;
      const applied = applyAction(state, action, nowMs);
      assert.ok(applied.ok, JSON.stringify(applied));
      const seq = state.seq;
      state = applied.state;
      return seq;
    };
    await withTransaction(db.pool, (client) => createBattle(client, { mode, params, players }));
    const rng = createRng(rngStateFromSeed(`${params.seed}:test`));
    for (let i = 0; i < plies && state.result === null; i++) {
      const active = state.players[state.activeIndex].playerId;
      const action = chooseBotAction(viewFor(state, active), rng) ?? { type: "end_turn", playerId: active };
      const seq = apply(action);
      assert.deepEqual(await appendActionsWithEvents(db.pool, [{ battleId: params.battleId, seq, playerId: active === BOT ? null : active, clientSeq: null, action, nowMs }], "api-test"), [true]);
    }
    let settlement: MatchSettlement | null = null;
    if (!running) {
      assert.equal(state.result, null, "the battle is still running before the concession");
      const concede: BattleAction = { type: "concede", playerId: players[1] };
      const seq = apply(concede);
      const result = state.result!;
      const final = { battleId: params.battleId, seq, playerId: players[1], clientSeq: null, action: concede, nowMs };
      const plan = mode === "practice" ? null : planSettlement({ battleId: params.battleId, mode, players, result, seed: params.seed, endedAt }, isRated(mode) ? await readRatings(db.pool, players) : null);
      assert.ok(await endBattle(db.pool, final, { mode, players, result, finalHash: hashState(state) }, plan, "api-test"));
      settlement = plan?.settlement ?? null;
    }
    return { battleId: params.battleId, state, settlement };
  }

  it("lists only my battles, newest first, from my side, with the rating change of a ranked match", async () => {
    const me = await newPlayer();
    const casualRival = await newPlayer();
    const rankedRival = await newPlayer();
    const practice = await playBattle({ mode: "practice", players: [me.playerId, BOT] });
    const casual = await playBattle({ mode: "casual", players: [casualRival.playerId, me.playerId] });
    const ranked = await playBattle({ mode: "ranked", players: [me.playerId, rankedRival.playerId] });
    const running = await playBattle({ mode: "practice", players: [me.playerId, BOT], running: true });
    await playBattle({ mode: "casual", players: [casualRival.playerId, rankedRival.playerId] });

    const { status, body } = await me.get("/v1/matches");
    assert.equal(status, 200);
    assert.equal(body.nextCursor, null);
    assert.deepEqual(
      body.matches.map((m: Body) => [m.id, m.mode, m.status, m.opponentId, m.outcome]),
      [
        [running.battleId, "practice", "active", BOT, null],
        [ranked.battleId, "ranked", "ended", rankedRival.playerId, "win"],
        [casual.battleId, "casual", "ended", casualRival.playerId, "loss"],
        [practice.battleId, "practice", "ended", BOT, "win"],
      ],
    );
    const [runningRow, rankedRow, casualRow, practiceRow] = body.matches as Body[];
    const mine = ranked.settlement!.players[me.playerId]!;
    assert.deepEqual(rankedRow!.rating, { before: mine.rating!.before, after: mine.rating!.after, change: mine.rating!.after.rating - mine.rating!.before.rating });
    assert.ok(rankedRow!.rating.change > 0);
    assert.deepEqual(rankedRow!.result, { winnerId: me.playerId, reason: "concede" });
    assert.deepEqual(casualRow!.reward, casual.settlement!.players[me.playerId]!.reward);
    assert.equal(casualRow!.rating, null, "casual matches move no rating");
    assert.deepEqual([practiceRow!.rating, practiceRow!.reward], [null, null]);
    assert.deepEqual([runningRow!.result, runningRow!.endedAt], [null, null]);
    assert.ok(Date.parse(rankedRow!.endedAt) >= Date.parse(rankedRow!.createdAt));

    // The other players see their own histories only.
    const theirs = await casualRival.get("/v1/matches");
    assert.equal(theirs.body.matches.length, 2);
    assert.ok(theirs.body.matches.every((m: Body) => m.id !== practice.battleId && m.id !== running.battleId && m.id !== ranked.battleId));
    assert.equal((await casualRival.get(`/v1/matches/${casual.battleId}`)).body.outcome, "win");
  });

  it("pages the history by cursor without gaps or repeats, and refuses bad pages", async () => {
    const me = await newPlayer();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.unshift((await playBattle({ mode: "practice", players: [me.playerId, BOT], plies: 2 })).battleId);
    const seen: string[] = [];
    let cursor: string | null = null;
    const sizes: number[] = [];
    do {
      const page: { status: number; body: Body } = await me.get(`/v1/matches?limit=2${cursor === null ? "" : `&cursor=${cursor}`}`);
      assert.equal(page.status, 200);
      sizes.push(page.body.matches.length);
      seen.push(...page.body.matches.map((m: Body) => m.id as string));
      cursor = page.body.nextCursor;
    } while (cursor !== null);
    assert.deepEqual(sizes, [2, 2, 1]);
    assert.deepEqual(seen, ids);
    for (const query of ["limit=0", "limit=51", "limit=x", "cursor=not-a-cursor", `cursor=${Buffer.from("1|2").toString("base64url")}`]) {
      const refused = await me.get(`/v1/matches?${query}`);
      assert.deepEqual([refused.status, refused.body.error.code], [400, "VALIDATION_FAILED"], query);
    }
    assert.equal((await me.get("/v1/matches?limit=50")).body.matches.length, 5);
  });

  it("shows a battle and its replay to its players only: anyone else gets the 404 of a battle that does not exist", async () => {
    const a = await newPlayer();
    const b = await newPlayer();
    const stranger = await newPlayer();
    const { battleId } = await playBattle({ mode: "casual", players: [a.playerId, b.playerId] });
    for (const player of [a, b]) {
      assert.equal((await player.get(`/v1/matches/${battleId}`)).status, 200);
      assert.equal((await player.get(`/v1/matches/${battleId}/replay`)).status, 200);
    }
    const unknown = randomUUID();
    for (const path of [`/v1/matches/${battleId}`, `/v1/matches/${battleId}/replay`, `/v1/matches/${unknown}`, `/v1/matches/${unknown}/replay`]) {
      const refused = await stranger.get(path);
      assert.deepEqual([refused.status, refused.body.error.code], [404, "NOT_FOUND"], path);
    }
    for (const path of ["/v1/matches/not-a-uuid", "/v1/matches/not-a-uuid/replay"]) assert.equal((await stranger.get(path)).status, 400, path);
    for (const path of ["/v1/matches", `/v1/matches/${battleId}`, `/v1/matches/${battleId}/replay`, "/v1/leaderboards/current", "/v1/me/rating"]) {
      assert.equal((await testApp.app.request(path)).status, 401, path);
    }
  });

  it("keeps the seed and the opponent's deck out of a running battle's replay", async () => {
    const me = await newPlayer();
    const rival = await newPlayer();
    for (const players of [
      [me.playerId, BOT],
      [rival.playerId, me.playerId],
    ] as [string, string][]) {
      const { battleId, state } = await playBattle({ mode: players[1] === BOT ? "practice" : "casual", players, running: true });
      const { status, body, headers } = await me.get(`/v1/matches/${battleId}/replay`);
      assert.equal(status, 200);
      assert.equal(headers.get("cache-control"), "no-store");
      assert.equal(body.status, "active");
      assert.equal("seed" in body.params, false, "no seed while the battle runs");
      assert.deepEqual([body.finalHash, body.result], [null, null]);
      const opponent = players.find((id) => id !== me.playerId)!;
      assert.equal(body.params.players.find((seat: Body) => seat.playerId === opponent).deck, null);
      assert.equal(body.params.players.find((seat: Body) => seat.playerId === me.playerId).deck.length, 20);
      assert.deepEqual(body.actions.map((a: Body) => a.seq), Array.from({ length: state.seq }, (_, i) => i));
    }
  });

  it("gives an ended battle's whole replay: replayed, it reproduces the stored final hash and result", async () => {
    const me = await newPlayer();
    const rival = await newPlayer();
    for (const [mode, players] of [
      ["ranked", [me.playerId, rival.playerId]],
      ["practice", [me.playerId, BOT]],
    ] as const) {
      const { battleId, state } = await playBattle({ mode, players: [...players], plies: 24 });
      const { status, body } = await me.get(`/v1/matches/${battleId}/replay`);
      assert.equal(status, 200);
      assert.equal(body.status, "ended");
      assert.equal(typeof body.params.seed, "string");
      assert.ok(body.params.players.every((seat: Body) => seat.deck.length === 20), "both decks once ended");
      const replayed = replayBattle(body.params as CreateBattleParams, body.actions);
      assert.ok(replayed.ok, JSON.stringify(replayed));
      assert.equal(hashState(replayed.state), body.finalHash);
      assert.equal(body.finalHash, hashState(state));
      assert.deepEqual(replayed.state.result, body.result);
      assert.deepEqual(body.result, { winnerId: me.playerId, reason: "concede" });
      const { rows } = await db.pool.query<{ final_hash: string; result: unknown }>(`SELECT final_hash, result FROM game.battles WHERE id = $1`, [battleId]);
      assert.deepEqual([rows[0]!.final_hash, rows[0]!.result], [body.finalHash, body.result]);
    }
  });

  it("ranks a season's leaderboard by rating, pages it, and keeps seasons apart", async () => {
    const tag = randomBytes(3).toString("hex");
    const [p, q, r] = await Promise.all(["P", "Q", "R"].map((name) => newPlayer(`${name}-${tag}`)));
    const march = new Date("2025-03-15T12:00:00Z");
    await playBattle({ mode: "ranked", players: [p!.playerId, q!.playerId], endedAt: march });
    await playBattle({ mode: "ranked", players: [p!.playerId, r!.playerId], endedAt: march });
    await playBattle({ mode: "ranked", players: [r!.playerId, q!.playerId], endedAt: march });

    const board = await p!.get("/v1/leaderboards/2025-03");
    assert.equal(board.status, 200);
    assert.equal(board.body.season, "2025-03");
    assert.deepEqual(
      board.body.rows.map((row: Body) => [row.rank, row.playerId, row.displayName, row.wins, row.losses, row.draws]),
      [
        [1, p!.playerId, `P-${tag}`, 2, 0, 0],
        [2, r!.playerId, `R-${tag}`, 1, 1, 0],
        [3, q!.playerId, `Q-${tag}`, 0, 2, 0],
      ],
    );
    const ratings = board.body.rows.map((row: Body) => row.rating as number);
    assert.deepEqual(ratings, [...ratings].sort((x, y) => y - x));
    const stored = await db.pool.query<{ rating: number }>(`SELECT rating FROM game.ratings WHERE player_id = $1`, [p!.playerId]);
    assert.equal(ratings[0], stored.rows[0]!.rating);

    const first = await p!.get("/v1/leaderboards/2025-03?limit=2");
    assert.deepEqual(first.body.rows.map((row: Body) => row.rank), [1, 2]);
    const second = await p!.get(`/v1/leaderboards/2025-03?limit=2&cursor=${first.body.nextCursor}`);
    assert.deepEqual(second.body.rows.map((row: Body) => [row.rank, row.playerId]), [[3, q!.playerId]]);
    assert.equal(second.body.nextCursor, null);

    assert.deepEqual((await p!.get("/v1/leaderboards/2025-04")).body.rows, []);
    const current = await p!.get("/v1/leaderboards/current");
    assert.equal(current.body.season, new Date().toISOString().slice(0, 7));
    assert.ok(current.body.rows.every((row: Body) => ![p, q, r].some((player) => player!.playerId === row.playerId)), "March's matches are not this season's");
    for (const season of ["2025-13", "2025-3", "latest", "2025-03-01"]) assert.equal((await p!.get(`/v1/leaderboards/${season}`)).status, 400, season);
    assert.equal((await p!.get("/v1/leaderboards/current?limit=101")).status, 400);
  });

  it("gives my rating: the initial one before any ranked match, then the rating, games and this season's standing", async () => {
    const x = await newPlayer();
    const y = await newPlayer();
    const initial = await x.get("/v1/me/rating");
    assert.equal(initial.status, 200);
    assert.deepEqual(initial.body, { ...ratingRules.initial, games: 0, season: null });

    const { settlement } = await playBattle({ mode: "ranked", players: [x.playerId, y.playerId] });
    await playBattle({ mode: "casual", players: [x.playerId, y.playerId] });
    const rated = await x.get("/v1/me/rating");
    const after = settlement!.players[x.playerId]!.rating!.after;
    assert.deepEqual({ rating: rated.body.rating, rd: rated.body.rd, vol: rated.body.vol, games: rated.body.games }, { ...after, games: 1 });
    const season = new Date().toISOString().slice(0, 7);
    const board = (await x.get("/v1/leaderboards/current?limit=100")).body.rows as Body[];
    const row = board.find((entry) => entry.playerId === x.playerId)!;
    assert.deepEqual(rated.body.season, { season, rank: row.rank, wins: 1, losses: 0, draws: 0 });
    assert.ok(row.rank < board.find((entry) => entry.playerId === y.playerId)!.rank, "the winner ranks above the loser");
    assert.deepEqual((await y.get("/v1/me/rating")).body.season, { season, rank: board.find((entry) => entry.playerId === y.playerId)!.rank, wins: 0, losses: 1, draws: 0 });
  });
});
