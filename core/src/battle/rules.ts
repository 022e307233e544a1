/**
 * The numbers of a battle, in one table so that docs/battle-rules.md, the engine and the tests agree.
 * The reason for each number is written in docs/battle-rules.md; change both together and bump
 * `rulesVersion`, because a stored battle only replays under the rules it was played with.
 */
export const battleRules = {
  /** Stored in every battle; a replay under other rules is refused. */
  rulesVersion: 1,
  startingHealth: 30,
  /** Mana grows by one each own turn up to this cap and refills at the start of each own turn. */
  maxMana: 10,
  /** Cards in the opening hand of the player who goes first and of the one who goes second. */
  openingHandFirst: 3,
  openingHandSecond: 4,
  /** A card drawn into a full hand is burned (revealed and discarded). */
  maxHandSize: 10,
  maxBoardSize: 7,
  minDeckSize: 20,
  maxDeckSize: 30,
  maxCopiesPerCardKey: 3,
  /** Card stat bounds: a crafted card outside them is refused in deck validation. */
  maxCost: 10,
  maxAttack: 12,
  maxUnitHealth: 12,
  maxAbilityAmount: 10,
  maxCardIdLength: 64,
  /** The battle ends in a draw when the turn with this number (counting both players' turns) ends. */
  turnCap: 60,
  /** A player whose turn times out this many times in a row loses ("idle"). */
  maxConsecutiveTimeouts: 3,
  defaultTurnTimeMs: 75_000,
  minTurnTimeMs: 1_000,
  maxTurnTimeMs: 600_000,
} as const;

/** Target words reserved in actions; a card id may not be one of them. */
export const reservedTargetWords = ["hero", "own_hero"] as const;
