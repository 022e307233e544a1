import { ponder } from "ponder:registry";
import { transfer } from "ponder:schema";

ponder.on("Card:Transfer", async ({ event, context }) => {
  await context.db.insert(transfer).values({ id: event.id, from: event.args.from, to: event.args.to, tokenId: event.args.tokenId });
});
