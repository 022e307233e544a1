import { ponder } from "ponder:registry";
import { token } from "ponder:schema";
import { recordTransfer, recordUserChange } from "./tokens.ts";

// The card contract emits CardMinted before the mint's Transfer, so the row starts here.
ponder.on("HarvestCard:CardMinted", async ({ event, context }) => {
  const { tokenId, recipient, crafter, recipeId, edition, attributesHash } = event.args;
  const record = { crafter, recipeId, edition, attributesHash };
  await context.db
    .insert(token)
    .values({
      collection: "card",
      tokenId,
      contract: event.log.address,
      owner: recipient,
      mintedBlock: event.block.number,
      updatedBlock: event.block.number,
      ...record,
    })
    .onConflictDoUpdate(record);
});

ponder.on("HarvestCard:Transfer", async ({ event, context }) => {
  await recordTransfer(context, "card", event, event.args);
});

ponder.on("HarvestCard:UpdateUser", async ({ event, context }) => {
  await recordUserChange(context, "card", event, event.args);
});
