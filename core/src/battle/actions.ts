/**
 * Where an action points: "hero" is the opposing hero, "own_hero" the acting player's hero, any
 * other string a unit id (card ids may not be these two words).
 */
export type TargetRef = string;

/** Play a card from the hand; `target` for a damage spell (required) or a heal spell (default: own hero). */
export type PlayCardAction = { type: "play_card"; playerId: string; cardId: string; target?: TargetRef };
/** Attack with one of your units: "hero" or an enemy unit id. */
export type AttackAction = { type: "attack"; playerId: string; attackerId: string; target: TargetRef };
export type EndTurnAction = { type: "end_turn"; playerId: string };
/** Give up: legal for either player at any time while the battle runs. */
export type ConcedeAction = { type: "concede"; playerId: string };
/** Sent by the server's timer, never by a client: ends the active player's turn once its deadline passed. */
export type TurnTimeoutAction = { type: "turn_timeout"; playerId: string };

export type BattleAction = PlayCardAction | AttackAction | EndTurnAction | ConcedeAction | TurnTimeoutAction;

export type BattleActionType = BattleAction["type"];
