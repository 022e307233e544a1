/**
 * `npm run fuzz:battles [-- --runs N --seed S]`: the battle engine's property test at length, with a
 * fresh seed unless one is given (print it, so that a failure can be replayed). `npm test` runs
 * 10,000 sequences with a fixed seed; this runs 200,000 by default (about 20 times as long).
 */
import { spawnSync } from "node:child_process";
import { parseArgs } from "node:util";

const { values } = parseArgs({ options: { runs: { type: "string", default: "180000" }, seed: { type: "string" } } });
const seed = values.seed ?? String(Math.floor(Math.random() * 2 ** 31));
process.stdout.write(`battle fuzz: ${values.runs} short battles (and a ninth as many long ones), seed ${seed}\n`);
const result = spawnSync(process.execPath, ["--test", "--test-timeout=0", new URL("../../core/src/battle/engine.property.test.ts", import.meta.url).pathname], {
  stdio: "inherit",
  env: { ...process.env, BATTLE_FUZZ_RUNS: values.runs, BATTLE_FUZZ_SEED: seed },
});
process.exit(result.status ?? 1);
