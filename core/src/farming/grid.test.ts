import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { areAdjacent, neighboursOf, parsePlotId, plotIdOf } from "./grid.ts";

describe("the plot grid (4 columns, row-major)", () => {
  it("finds the edge neighbours of a plot", () => {
    assert.deepEqual(neighboursOf(5, 16), [1, 4, 6, 9]);
    assert.deepEqual(neighboursOf(0, 16), [1, 4]);
    assert.deepEqual(neighboursOf(3, 16), [2, 7]);
    assert.deepEqual(neighboursOf(4, 16), [0, 5, 8]);
  });

  it("does not wrap rows or run past the last plot", () => {
    assert.deepEqual(neighboursOf(3, 8), [2, 7]);
    assert.deepEqual(neighboursOf(4, 6), [0, 5]);
    assert.deepEqual(neighboursOf(2, 3), [1]);
    assert.deepEqual(neighboursOf(0, 1), []);
    assert.deepEqual(neighboursOf(7, 4), []);
  });

  it("is symmetric", () => {
    for (let count = 1; count <= 16; count++) {
      for (let i = 0; i < count; i++) for (const j of neighboursOf(i, count)) assert.ok(neighboursOf(j, count).includes(i));
    }
  });

  it("names plots starter:<i> and land:<tokenId>:<i> and reads the names back", () => {
    assert.equal(plotIdOf(null, 2), "starter:2");
    assert.equal(plotIdOf(12n, 0), "land:12:0");
    assert.deepEqual(parsePlotId("land:12:0"), { field: "land:12", index: 0 });
    assert.equal(parsePlotId("land:012:0"), null);
    assert.equal(parsePlotId("barn:1"), null);
  });

  it("keeps fields apart: adjacency holds within one field only", () => {
    assert.equal(areAdjacent("land:1:0", "land:1:1"), true);
    assert.equal(areAdjacent("land:1:0", "land:1:4"), true);
    assert.equal(areAdjacent("land:1:3", "land:1:4"), false);
    assert.equal(areAdjacent("land:1:0", "land:2:1"), false);
    assert.equal(areAdjacent("starter:0", "starter:0"), false);
    assert.equal(areAdjacent("starter:0", "nonsense"), false);
  });
});
