import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError, parseEnv, sharedEnv } from "./env.ts";

const valid = { DATABASE_URL: "postgres://u:p@127.0.0.1:5432/db" };

describe("parseEnv", () => {
  it("fills defaults and coerces numbers", () => {
    const config = parseEnv(sharedEnv, { ...valid, API_PORT: "4000" });
    assert.equal(config.API_PORT, 4000);
    assert.equal(config.GAME_SERVER_PORT, 3001);
    assert.equal(config.RPC_URL, "http://127.0.0.1:8545");
  });

  it("names a malformed DATABASE_URL and says why", () => {
    assert.throws(
      () => parseEnv(sharedEnv, { DATABASE_URL: "mysql://nope" }),
      (error: unknown) => error instanceof ConfigError && error.variable === "DATABASE_URL" && /postgres:\/\//.test(error.message),
    );
  });

  it("reports a missing required variable as required", () => {
    assert.throws(() => parseEnv(sharedEnv, {}), { message: "DATABASE_URL: is required" });
  });

  it("refuses an out-of-range port", () => {
    assert.throws(() => parseEnv(sharedEnv, { ...valid, API_PORT: "70000" }), (e: unknown) => e instanceof ConfigError && e.variable === "API_PORT");
  });

  it("treats an empty value as unset", () => {
    assert.equal(parseEnv(sharedEnv, { ...valid, RPC_URL: "" }).RPC_URL, "http://127.0.0.1:8545");
  });

  it("refuses a non-http RPC_URL", () => {
    assert.throws(() => parseEnv(sharedEnv, { ...valid, RPC_URL: "ws://x" }), { message: "RPC_URL: must be an http:// or https:// URL" });
  });
});
