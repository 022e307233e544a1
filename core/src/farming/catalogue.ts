/**
 * Every number of the farming rules, in one table. The rules read it and hold no numbers of their own,
 * so balance changes happen here (with their reasons in docs/farming-rules.md) and the tests follow.
 * Durations are game-time milliseconds; prices are whole coins of the soft currency.
 */
export const farmingCatalogue = {
  /**
   * The rules' version. Recorded outcomes (harvests, crafts) replay exactly under the version that made
   * them: bump it with any change that alters an outcome, and store it beside each recorded seed.
   */
  version: 1,

  /** What each crop grows into. Short crops earn more per hour but need a player who comes back. */
  crops: {
    wheat: { baseGrowthMs: 10 * 60_000, baseYield: 5, resource: "grain", seedPrice: 40 },
    sunflower: { baseGrowthMs: 30 * 60_000, baseYield: 4, resource: "petal", seedPrice: 100 },
    pumpkin: { baseGrowthMs: 2 * 3_600_000, baseYield: 3, resource: "gourd", seedPrice: 300 },
    moonberry: { baseGrowthMs: 4 * 3_600_000, baseYield: 4, resource: "berry", seedPrice: 600 },
    emberroot: { baseGrowthMs: 8 * 3_600_000, baseYield: 2, resource: "ember", seedPrice: 1200 },
  },

  /**
   * Produce, as the vendor values it. `liquidity` is how many units sold within the vendor's window
   * halve the price (with `vendor.decay` 0.5): common produce absorbs more before the price sags.
   */
  resources: {
    grain: { basePrice: 30, liquidity: 200 },
    petal: { basePrice: 80, liquidity: 120 },
    gourd: { basePrice: 350, liquidity: 60 },
    berry: { basePrice: 450, liquidity: 50 },
    ember: { basePrice: 1600, liquidity: 20 },
  },

  /** Genes: small integers; each gene's effect is in `effects` below. */
  genes: {
    names: ["vigor", "yield", "hue", "resilience"],
    min: 0,
    max: 15,
    /** A vendor seed rolls each gene in this range, so that bred seeds (up to 15) are worth chasing. */
    vendorMin: 3,
    vendorMax: 7,
  },

  effects: {
    /** Each vigor point takes 3 % off the growth time (15 points: 45 % faster). */
    vigorGrowthCutPerPoint: 0.03,
    /** Each yield point adds 8 % to the harvest (15 points: 2.2 times). */
    yieldBonusPerPoint: 0.08,
    /** Quality score weights: hue counts twice, resilience once (the produce's colour and soundness). */
    hueQualityWeight: 2,
    resilienceQualityWeight: 1,
    /** At resilience 15 the failure chance is a quarter of the base. */
    resilienceFailureCut: 0.75,
  },

  growth: {
    /** Fertility in percent (the land contract's range); 100 is the base rate. */
    minFertility: 50,
    maxFertility: 200,
    baseFertility: 100,
    /** Hard bounds on the growth time as a fraction of the crop's base, whatever the modifiers. */
    minFactor: 0.2,
    maxFactor: 2,
  },

  harvest: {
    /** Chance that a harvest fails (blight): half the produce, one grade lower, no seeds. */
    baseFailureChance: 0.12,
    /** Chance that a sound harvest gives back a seed, and then that it gives a second one. */
    seedChance: 0.35,
    secondSeedChance: 0.1,
    /** Chance that a seed is cross-pollinated when a neighbour of the same crop grows beside it. */
    crossPollinationChance: 0.5,
    /** Per gene of a new seed, the chance of a ±1..2 mutation. */
    mutationRate: 0.06,
    /** Produce quality grades, and the random spread added to the quality score before grading. */
    minQuality: 1,
    maxQuality: 5,
    qualityJitter: 0.1,
    /** Weights of the genes' and the land's shares of the quality score. */
    geneQualityShare: 0.7,
    fertilityQualityShare: 0.3,
  },

  /** Land traits by their on-chain code (HarvestLand.sol), with what each does to farming. */
  traits: {
    none: { code: 0, growthFactor: 1, yieldFactor: 1, failureFactor: 1, mutationFactor: 1 },
    greenhouse: { code: 1, growthFactor: 0.75, yieldFactor: 1, failureFactor: 1, mutationFactor: 1 },
    /** A Workshop does nothing for crops: it gates crafting recipes (core/src/crafting/recipes.ts). */
    workshop: { code: 2, growthFactor: 1, yieldFactor: 1, failureFactor: 1, mutationFactor: 1 },
    orchard: { code: 3, growthFactor: 1, yieldFactor: 1.25, failureFactor: 1, mutationFactor: 1 },
    wellspring: { code: 4, growthFactor: 1, yieldFactor: 1, failureFactor: 0.5, mutationFactor: 0.5 },
  },

  /** The starter farm every player has, off-chain. */
  starterFarm: { plots: 4, fertility: 100, trait: "none" },

  /** Plots of one field (the starter farm, or one land) form a grid this many columns wide, row-major. */
  gridWidth: 4,

  vendor: {
    /** Sales and purchases count towards the price for this long. */
    windowMs: 3_600_000,
    /** Sell price multiplies by `decay` for every `liquidity` units sold in the window. */
    decay: 0.5,
    /** Sell price never falls below this share of the base price, nor rises above the ceiling share. */
    sellFloor: 0.25,
    sellCeiling: 1,
    /** Quality raises the sell price by this percentage of the base per grade above the lowest. */
    qualityPremiumPercentPerGrade: 10,
    /** Seed price multiplies by `seedGrowth` for every `seedLiquidity` seeds of a crop bought in the window. */
    seedGrowth: 1.5,
    seedLiquidity: 100,
    seedCeiling: 2,
  },
} as const;

/** A crop that can be planted. */
export type CropKind = keyof typeof farmingCatalogue.crops;
/** A kind of produce (a resource in the inventory). */
export type ResourceKind = keyof typeof farmingCatalogue.resources;
/** A land trait by name. */
export type LandTrait = keyof typeof farmingCatalogue.traits;
/** A gene's name. */
export type GeneName = (typeof farmingCatalogue.genes.names)[number];

/** Every crop kind, in catalogue order. */
export const cropKinds = Object.keys(farmingCatalogue.crops) as CropKind[];
/** Every resource kind, in catalogue order. */
export const resourceKinds = Object.keys(farmingCatalogue.resources) as ResourceKind[];
/** Every land trait, in order of its on-chain code. */
export const landTraits = Object.keys(farmingCatalogue.traits) as LandTrait[];

/** Whether `value` names a crop of the catalogue (own keys only, so "toString" is not a crop). */
export function isCropKind(value: unknown): value is CropKind {
  return typeof value === "string" && Object.hasOwn(farmingCatalogue.crops, value);
}

/** Whether `value` names a resource of the catalogue. */
export function isResourceKind(value: unknown): value is ResourceKind {
  return typeof value === "string" && Object.hasOwn(farmingCatalogue.resources, value);
}

/** Whether `value` names a land trait. */
export function isLandTrait(value: unknown): value is LandTrait {
  return typeof value === "string" && Object.hasOwn(farmingCatalogue.traits, value);
}

/** The trait for an on-chain trait code, or null for a code the game does not know. */
export function landTraitFromCode(code: number): LandTrait | null {
  return landTraits.find((trait) => farmingCatalogue.traits[trait].code === code) ?? null;
}
