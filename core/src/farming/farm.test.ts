import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { plotsFor } from "./farm.ts";

describe("plotsFor", () => {
  it("gives every player the starter farm: 4 plots, fertility 100, no trait", () => {
    const plots = plotsFor({ starter: true, lands: [] });
    assert.deepEqual(plots.map((p) => p.id), ["starter:0", "starter:1", "starter:2", "starter:3"]);
    assert.ok(plots.every((p) => p.fertility === 100 && p.trait === "none" && p.tokenId === null && p.fieldSize === 4));
  });

  it("adds each usable land's plots with its attributes, by ascending token id", () => {
    const plots = plotsFor({
      starter: true,
      lands: [
        { tokenId: 9n, plots: 1, fertility: 50, trait: 4 },
        { tokenId: 7n, plots: 2, fertility: 150, trait: 1 },
      ],
    });
    assert.deepEqual(plots.slice(4).map((p) => [p.id, p.field, p.fertility, p.trait, p.fieldSize]), [
      ["land:7:0", "land:7", 150, "greenhouse", 2],
      ["land:7:1", "land:7", 150, "greenhouse", 2],
      ["land:9:0", "land:9", 50, "wellspring", 1],
    ]);
  });

  it("can leave out the starter farm", () => {
    assert.deepEqual(plotsFor({ starter: false, lands: [{ tokenId: 1n, plots: 1, fertility: 100, trait: 0 }] }).map((p) => p.id), ["land:1:0"]);
  });

  it("throws on attributes the contract cannot hold, or a land listed twice", () => {
    const land = { tokenId: 1n, plots: 4, fertility: 100, trait: 0 };
    assert.throws(() => plotsFor({ starter: false, lands: [{ ...land, plots: 17 }] }), RangeError);
    assert.throws(() => plotsFor({ starter: false, lands: [{ ...land, plots: 0 }] }), RangeError);
    assert.throws(() => plotsFor({ starter: false, lands: [{ ...land, fertility: 201 }] }), RangeError);
    assert.throws(() => plotsFor({ starter: false, lands: [{ ...land, trait: 5 }] }), RangeError);
    assert.throws(() => plotsFor({ starter: false, lands: [land, land] }), RangeError);
  });
});
