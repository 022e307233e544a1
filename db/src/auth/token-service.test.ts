import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { findOrCreatePlayer } from "../players/players.ts";
import { createTestDatabase, type TestDatabase } from "../testing/test-database.ts";
import { openSession, revokeSession } from "./sessions.ts";
import { createTokenService } from "./token-service.ts";

describe("the token service", () => {
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase("token_service");
  });
  after(async () => {
    await db?.drop();
  });

  it("refuses a token it accepted before once it has expired or its session is revoked, whatever it remembers of it", async () => {
    let now = Date.now();
    const tokens = createTokenService({ pool: db.pool, secret: "token-service-test-secret-0123456789", accessTtlSeconds: 60, nowMs: () => now });
    await tokens.start();
    try {
      const player = await findOrCreatePlayer(db.pool, "0x00000000000000000000000000000000000000aa");
      const { session } = await openSession(db.pool, player, 3_600_000);
      const { token } = await tokens.issueAccessToken(session);
      for (let i = 0; i < 3; i++) assert.equal((await tokens.verifyAccessToken(token)).sessionId, session.id);
      now += 61_000;
      await assert.rejects(tokens.verifyAccessToken(token), { code: "UNAUTHENTICATED" });

      now = Date.now();
      const fresh = (await tokens.issueAccessToken(session)).token;
      assert.equal((await tokens.verifyAccessToken(fresh)).playerId, player.id);
      const revoked = new Promise<void>((resolve) => tokens.onRevoked((id) => id === session.id && resolve()));
      assert.ok(await revokeSession(db.pool, session.id, player.id));
      await revoked;
      await assert.rejects(tokens.verifyAccessToken(fresh), { code: "UNAUTHENTICATED" });
    } finally {
      await tokens.stop();
    }
  });
});
