/**
 * The schema-driven fuzzer (scripts/fuzz/api-fuzz.ts) over the real app with every dependency up:
 * a fixed seed and 1,500 requests. No 5xx, nothing thrown, every error in the one error shape.
 * Long runs: `node scripts/fuzz/api-fuzz.ts --requests 20000 --seed N`.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { fuzzApi } from "../../scripts/fuzz/api-fuzz.ts";
import { startFuzzEnvironment } from "../../scripts/fuzz/environment.ts";

const SEED = 20_261_125;
const REQUESTS = 1_500;

describe("API fuzzing from the OpenAPI document", () => {
  let environment: Awaited<ReturnType<typeof startFuzzEnvironment>>;
  before(async () => {
    environment = await startFuzzEnvironment();
  });
  after(async () => environment?.stop());

  it(`answers ${REQUESTS} malformed and random requests (seed ${SEED}) with no 5xx and only well-formed errors`, async () => {
    const summary = await fuzzApi({ app: environment.app, seed: SEED, requests: REQUESTS });
    const report = JSON.stringify({ ...summary, findings: summary.findings.slice(0, 5) }, null, 2);
    assert.equal(summary.thrown, 0, report);
    assert.equal(summary.serverErrors, 0, report);
    assert.equal(summary.badErrorBodies, 0, report);
    assert.ok(summary.sent >= REQUESTS * 0.9, `most generated requests were sendable: ${summary.sent}`);
    // It reached every operation, got past authentication and validation, and was refused as well.
    const doc = (await (await environment.app.request("/openapi.json")).json()) as { paths: Record<string, Record<string, unknown>> };
    for (const [path, ops] of Object.entries(doc.paths)) for (const method of Object.keys(ops)) assert.ok(summary.byOperation[`${method.toUpperCase()} ${path}`], `${method} ${path} was fuzzed`);
    for (const status of ["200", "400", "401", "404"]) assert.ok(summary.byStatus[status], `some requests got ${status}: ${JSON.stringify(summary.byStatus)}`);
  });
});
