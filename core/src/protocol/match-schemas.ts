import { z } from "zod";
import { battleCardSchema } from "./deck-schemas.ts";

// Request and response shapes of the match history, replay, leaderboard and rating routes.

export const battleIdSchema = z.uuid().meta({ example: "0b8f1f43-6c1e-4f7a-9d2b-3e5a7c9d1f20" });

/** Most battles on one page of the history. */
export const MAX_MATCHES_PAGE = 50;
/** Most rows on one page of a leaderboard. */
export const MAX_LEADERBOARD_PAGE = 100;

const cursorSchema = z.string().max(200).optional().meta({ description: "`nextCursor` of the previous page" });

export const matchListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_MATCHES_PAGE).default(20).meta({ description: `Page size, 1 to ${MAX_MATCHES_PAGE}` }),
  cursor: cursorSchema,
});

export const leaderboardQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_LEADERBOARD_PAGE).default(50).meta({ description: `Page size, 1 to ${MAX_LEADERBOARD_PAGE}` }),
  cursor: cursorSchema,
});

/** A season is a calendar month (UTC) of match ends, "YYYY-MM"; `current` is this month. */
export const seasonParamSchema = z
  .string()
  .regex(/^(current|\d{4}-(0[1-9]|1[0-2]))$/)
  .meta({ example: "2026-11", description: "A season, YYYY-MM (UTC month of the matches' ends), or `current`" });

export const ratingSchema = z.object({ rating: z.number(), rd: z.number(), vol: z.number() }).meta({ id: "Rating", description: "A Glicko-2 rating: rating, deviation, volatility" });

const battleResultSchema = z.object({ winnerId: z.string().nullable(), reason: z.string() }).meta({ id: "BattleResult" });

export const matchSummarySchema = z
  .object({
    id: battleIdSchema,
    mode: z.string().meta({ description: "practice, ranked, casual or private" }),
    status: z.enum(["active", "ended"]),
    opponentId: z.string().nullable().meta({ description: "The other player's id (`practice-bot` in practice)" }),
    result: battleResultSchema.nullable(),
    outcome: z.enum(["win", "loss", "draw"]).nullable().meta({ description: "Yours; null while the battle runs" }),
    rating: z
      .object({ before: ratingSchema, after: ratingSchema, change: z.number() })
      .nullable()
      .meta({ description: "Ranked matches once settled: your rating before and after" }),
    reward: z
      .object({ resources: z.array(z.object({ kind: z.string(), quality: z.number(), quantity: z.number() })), seeds: z.number().int() })
      .nullable()
      .meta({ description: "What the match paid into your farm (matches between players, once settled)" }),
    createdAt: z.string(),
    endedAt: z.string().nullable(),
  })
  .meta({ id: "MatchSummary" });

export const matchListSchema = z.object({ matches: z.array(matchSummarySchema), nextCursor: z.string().nullable() }).meta({ id: "MatchList" });

export const replaySchema = z
  .object({
    battleId: battleIdSchema,
    mode: z.string(),
    status: z.enum(["active", "ended"]),
    result: battleResultSchema.nullable(),
    finalHash: z.string().nullable().meta({ description: "hashState of the final state, once ended: a replay must reproduce it" }),
    players: z.array(z.string()),
    params: z
      .object({
        battleId: z.string(),
        seed: z.string().optional().meta({ description: "Only once the battle has ended" }),
        players: z.array(z.object({ playerId: z.string(), deck: z.array(battleCardSchema).nullable().meta({ description: "The other player's: null while the battle runs" }) })),
        startedAtMs: z.number(),
        turnTimeMs: z.number(),
      })
      .meta({ description: "The battle's creation parameters (CreateBattleParams)" }),
    actions: z.array(z.object({ seq: z.number().int(), action: z.record(z.string(), z.unknown()), nowMs: z.number() })).meta({ description: "Accepted actions in order" }),
  })
  .meta({ id: "BattleReplay", description: "What replayBattle needs (core/src/battle/replay.ts)" });

export const leaderboardSchema = z
  .object({
    season: z.string(),
    rows: z.array(
      z.object({
        rank: z.number().int().meta({ description: "Position: highest rating first, ties by player id" }),
        playerId: z.string(),
        displayName: z.string().nullable(),
        rating: z.number(),
        wins: z.number().int(),
        losses: z.number().int(),
        draws: z.number().int(),
      }),
    ),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: "Leaderboard" });

export const playerRatingSchema = ratingSchema
  .extend({
    games: z.number().int().meta({ description: "Ranked matches played, all seasons" }),
    season: z
      .object({ season: z.string(), rank: z.number().int(), wins: z.number().int(), losses: z.number().int(), draws: z.number().int() })
      .nullable()
      .meta({ description: "Your row in the current season's leaderboard; null before your first ranked match of it" }),
  })
  .meta({ id: "PlayerRating" });
