/**
 * A smoke run of the API benchmark (scripts/bench/api.ts): one short round with 4 clients, to know it
 * still runs. No timing is asserted: numbers on a shared machine are not a test.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runApiBench } from "../../scripts/bench/api.ts";

describe("the API benchmark", () => {
  it("runs for a moment and produces numbers", async () => {
    const result = await runApiBench({ clients: 4, rounds: 1, seconds: 1, loginSeconds: 1, recoverSeconds: 0.5, warmupSeconds: 0 });
    for (const [name, value] of Object.entries({
      meRps: result.me.rps,
      meP50: result.me.p50Ms,
      meP99: result.me.p99Ms,
      meCpu: result.me.serverCpuUsPerRequest,
      bareRps: result.bare.rps,
      bareP99: result.bare.p99Ms,
      logins: result.login.perSecond,
      recover: result.recover.perSecond,
      ratio: result.ratio,
      loginRatio: result.loginRatio,
    })) {
      assert.ok(Number.isFinite(value) && value > 0, `${name} is a positive number: ${value}`);
    }
    assert.equal(result.me.failed + result.bare.failed + result.login.failed, 0);
  });
});
