import type { CardDef } from "./cards.ts";
import type { BattleEndReason } from "./state.ts";

/** A hero (`unitId` null) or a unit, named by its owner. */
export type Combatant = { playerId: string; unitId: string | null };

/**
 * What happened, as plain data in the past tense, in the order it happened. Events are derived:
 * the stored truth is the list of accepted actions (see replay.ts). All events are public except
 * `card_drawn.card`, which `redactEventFor` replaces by null for anyone but the drawer.
 */
export type BattleEvent =
  | {
      type: "battle_started";
      battleId: string;
      playerIds: [string, string];
      firstPlayerId: string;
      startedAtMs: number;
      turnTimeMs: number;
      rulesVersion: number;
    }
  | { type: "turn_started"; playerId: string; turn: number; mana: number; startedAtMs: number; deadlineMs: number }
  | { type: "card_drawn"; playerId: string; card: CardDef | null }
  | { type: "card_burned"; playerId: string; card: CardDef }
  | { type: "card_played"; playerId: string; card: CardDef; target: Combatant | null; manaLeft: number }
  | { type: "unit_attacked"; playerId: string; attackerId: string; target: Combatant }
  | { type: "damage_dealt"; target: Combatant; amount: number; cause: "attack" | "spell" | "fatigue"; sourceId: string | null }
  | { type: "shield_broken"; target: Combatant }
  | { type: "healed"; target: Combatant; amount: number }
  | { type: "unit_died"; playerId: string; unitId: string; cardKey: string }
  | { type: "turn_ended"; playerId: string; turn: number; reason: "end_turn" | "timeout" }
  | { type: "battle_ended"; winnerId: string | null; reason: BattleEndReason };

export type BattleEventType = BattleEvent["type"];
