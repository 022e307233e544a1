import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/**
 * Deploys the card and land tokens. Parameters (ignition parameters file or `--parameters`):
 * - `admin`: receives the admin, minter and pauser roles (default: the deployer);
 * - `voucherSigner`: the key that signs card mint vouchers (default: the deployer);
 * - `treasury`: receives the game's royalty share (default: the deployer);
 * - `creatorRoyaltyBps`, `gameRoyaltyBps`: royalty shares in basis points;
 * - `cardBaseURI`, `landBaseURI`: metadata URI prefixes.
 */
export default buildModule("HarvestBattles", (m) => {
  const deployer = m.getAccount(0);
  const admin = m.getParameter("admin", deployer);
  const voucherSigner = m.getParameter("voucherSigner", deployer);
  const treasury = m.getParameter("treasury", deployer);
  const creatorRoyaltyBps = m.getParameter("creatorRoyaltyBps", 500);
  const gameRoyaltyBps = m.getParameter("gameRoyaltyBps", 250);
  const cardBaseURI = m.getParameter("cardBaseURI", "http://localhost:3000/v1/metadata/cards/");
  const landBaseURI = m.getParameter("landBaseURI", "http://localhost:3000/v1/metadata/lands/");

  const card = m.contract("HarvestCard", [admin, voucherSigner, treasury, creatorRoyaltyBps, gameRoyaltyBps, cardBaseURI]);
  const land = m.contract("HarvestLand", [admin, landBaseURI]);
  return { card, land };
});
