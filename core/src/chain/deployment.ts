import { readFileSync } from "node:fs";
import { getAddress, isAddress } from "viem";
import { z } from "zod";

const address = z.string().refine((value) => isAddress(value), "not an address").transform((value) => getAddress(value));

const deployedContract = z.object({
  address,
  /** The block the indexer starts from: at or before the contract's deployment. */
  startBlock: z.number().int().nonnegative(),
});

/** Where the contracts of one chain live: written by `scripts/deploy.ts`, read by every service. */
export const deploymentSchema = z.object({
  network: z.string().min(1),
  chainId: z.number().int().positive(),
  contracts: z.object({ HarvestCard: deployedContract, HarvestLand: deployedContract }),
});

export type Deployment = z.infer<typeof deploymentSchema>;

/** Reads and checks a deployment file; throws an Error naming the file and the problem. */
export function readDeployment(path: string): Deployment {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (cause) {
    throw new Error(`cannot read deployment file ${path}: ${(cause as Error).message}`, { cause });
  }
  const parsed = deploymentSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`deployment file ${path} is invalid: ${parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}`);
  }
  return parsed.data;
}
