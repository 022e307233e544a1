import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { stableStringify } from "./stable-json.ts";

describe("stableStringify", () => {
  it("sorts keys at every depth", () => {
    assert.equal(stableStringify({ b: 1, a: [2, { d: 3, c: 4 }] }), '{"a":[2,{"c":4,"d":3}],"b":1}');
  });

  it("leaves out undefined fields and writes undefined array items as null, like JSON.stringify", () => {
    assert.equal(stableStringify({ a: undefined, b: [undefined, 1] }), '{"b":[null,1]}');
  });

  it("parses back to the same data as JSON.stringify for any JSON value", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        assert.deepEqual(JSON.parse(stableStringify(value)), JSON.parse(JSON.stringify(value)));
      }),
      { seed: 7, numRuns: 500 },
    );
  });
});
