import { ponder } from "ponder:registry";
import { token } from "ponder:schema";
import { recordTransfer, recordUserChange } from "./tokens.ts";

// The land contract emits LandMinted before the mint's Transfer, so the row starts here.
ponder.on("HarvestLand:LandMinted", async ({ event, context }) => {
  const { tokenId, to, plots, fertility, trait } = event.args;
  const attributes = { plots, fertility, trait };
  await context.db
    .insert(token)
    .values({
      collection: "land",
      tokenId,
      contract: event.log.address,
      owner: to,
      mintedBlock: event.block.number,
      updatedBlock: event.block.number,
      ...attributes,
    })
    .onConflictDoUpdate(attributes);
});

ponder.on("HarvestLand:Transfer", async ({ event, context }) => {
  await recordTransfer(context, "land", event, event.args);
});

ponder.on("HarvestLand:UpdateUser", async ({ event, context }) => {
  await recordUserChange(context, "land", event, event.args);
});
