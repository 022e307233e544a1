/**
 * `npm run bench:indexer`: indexing throughput of the game's indexer against a bare Ponder app that
 * records only Transfer events into one table, on the same chain and database, in one run.
 *
 * It starts an embedded Postgres and a Hardhat node, deploys the contracts, and mints and transfers
 * TOKENS cards (default 10,000: CardMinted + two Transfers each, through contracts/src/testing/BatchMinter),
 * then mines past Ponder's finality window so every event is backfilled. Each round indexes the whole
 * chain from scratch into a fresh schema, alternating ours and the baseline (A B A B ...). Reported per
 * app: events/s (its own events over the backfill's duration, from Ponder's own log timestamps), the
 * backfill's duration, JSON-RPC requests (Ponder's /metrics) and peak resident memory (VmHWM).
 * The load generator (the chain) runs on the same machine and is idle while indexing is measured.
 *
 * Environment: TOKENS (default 10000), ROUNDS (default 3). The last line is JSON.
 */
import { execFileSync } from "node:child_process";
import { chmod, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { getAddress } from "viem";
import { batchMinterAbi } from "../../contracts/test/helpers/abis.generated.ts";
import { harvestCardAbi } from "../../core/src/chain/abis.generated.ts";
import { startEmbeddedPostgres } from "../../db/src/embedded-postgres.ts";
import { ensureDatabase } from "../../db/src/ensure-database.ts";
import { findFreePort } from "../../db/src/testing/free-port.ts";
import { devAccount } from "../stack/demo-accounts.ts";
import { startIndexer } from "../stack/indexer.ts";
import { waitFor } from "../stack/processes.ts";
import { startTestChain } from "../stack/test-chain.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
const tokens = Number(process.env.TOKENS ?? 10_000);
const rounds = Number(process.env.ROUNDS ?? 3);
const batch = 100; // cards a transaction: within the 16.7M gas cap per transaction (EIP-7825)

type Sample = { eventsPerSecond: number; backfillMs: number; rpcRequests: number; peakRssMb: number };
const apps = {
  ours: { appDir: `${root}indexer`, eventsPerToken: 3 },
  bare: { appDir: `${root}scripts/bench/bare-indexer`, eventsPerToken: 2 },
} as const;

const say = (line: string) => process.stdout.write(`${line}\n`);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const pgDir = await mkdtemp(join(tmpdir(), "harvest-bench-pg-"));
await chmod(pgDir, 0o755);
const postgres = await startEmbeddedPostgres({ dataDir: join(pgDir, "data"), port: await findFreePort(), settings: { fsync: "off" } });
const chain = await startTestChain();
try {
  const databaseUrl = await ensureDatabase(postgres.url, "bench");
  say(`generating ${tokens} cards (mint + transfer each) on ${chain.url} …`);
  const minter = await deployBatchMinter();
  const players = [1, 2, 3, 4, 5, 6, 7, 8].map((i) => devAccount(i).address);
  for (let first = 0; first < tokens; first += batch) {
    const count = Math.min(batch, tokens - first);
    await chain.confirm(
      await chain.wallet(0).writeContract({ address: minter, abi: batchMinterAbi, functionName: "mintAndDeal", args: [BigInt(first + 1), BigInt(count), players], gas: 16_000_000n }),
    );
  }
  // Past Ponder's finality window (30 blocks here), so every event is indexed as backfill, which
  // ends with "Started live indexing".
  await chain.testClient.mine({ blocks: 64 });
  const head = await chain.publicClient.getBlockNumber();

  const samples: Record<keyof typeof apps, Sample[]> = { ours: [], bare: [] };
  for (let round = 0; round < rounds; round++) {
    for (const name of ["ours", "bare"] as const) {
      const sample = await measure(name, databaseUrl, `${name}_${round}`);
      samples[name].push(sample);
      say(`round ${round + 1} ${name.padEnd(4)}  ${sample.eventsPerSecond.toFixed(0).padStart(7)} events/s  backfill ${sample.backfillMs} ms  rpc ${sample.rpcRequests}  peak ${sample.peakRssMb} MB`);
    }
  }
  const summary = Object.fromEntries(
    Object.entries(samples).map(([name, list]) => [
      name,
      {
        events: tokens * apps[name as keyof typeof apps].eventsPerToken,
        eventsPerSecond: Math.round(median(list.map((s) => s.eventsPerSecond))),
        backfillMs: median(list.map((s) => s.backfillMs)),
        rpcRequests: median(list.map((s) => s.rpcRequests)),
        peakRssMb: median(list.map((s) => s.peakRssMb)),
      },
    ]),
  ) as Record<keyof typeof apps, { events: number; eventsPerSecond: number; backfillMs: number; rpcRequests: number; peakRssMb: number }>;
  const ratio = Math.round((summary.ours.eventsPerSecond / summary.bare.eventsPerSecond) * 1000) / 1000;
  const timeRatio = Math.round((summary.ours.backfillMs / summary.bare.backfillMs) * 1000) / 1000;
  say("");
  say(`median of ${rounds} rounds: ours ${summary.ours.eventsPerSecond} events/s (${summary.ours.events} events), bare ${summary.bare.eventsPerSecond} events/s (${summary.bare.events} events)`);
  say(`ratio ours/bare events per second: ${ratio} (goal >= 0.8); backfill time ratio ours/bare: ${timeRatio}`);
  say(JSON.stringify({ benchmark: "indexer", tokens, rounds, blocks: Number(head), ours: summary.ours, bare: summary.bare, ratio, timeRatio }));
} finally {
  await chain.process.stop();
  await postgres.stop();
  await rm(pgDir, { recursive: true, force: true });
}

async function deployBatchMinter() {
  const artifact = JSON.parse(await readFile(`${root}.cache/artifacts/contracts/src/testing/BatchMinter.sol/BatchMinter.json`, "utf8"));
  const card = chain.deployment.contracts.HarvestCard.address;
  const receipt = await chain.confirm(
    await chain.wallet(0).deployContract({ abi: batchMinterAbi, bytecode: artifact.bytecode, args: [card] }),
  );
  const minter = getAddress(receipt.contractAddress!);
  const role = await chain.publicClient.readContract({ address: card, abi: harvestCardAbi, functionName: "MINTER_ROLE" });
  await chain.confirm(await chain.wallet(0).writeContract({ address: card, abi: harvestCardAbi, functionName: "grantRole", args: [role, minter] }));
  return minter;
}

/** Indexes the chain from scratch with one app into fresh schemas; times its backfill from its own logs. */
async function measure(name: keyof typeof apps, databaseUrl: string, schema: string): Promise<Sample> {
  const times: Record<string, number> = {};
  const port = await findFreePort();
  const indexer = await startIndexer({
    databaseUrl,
    rpcUrl: chain.url,
    deploymentFile: chain.deploymentFile,
    port,
    schema,
    viewsSchema: `${schema}_views`,
    appDir: apps[name].appDir,
    waitUntilReady: false,
    onLine: (line) => {
      if (process.env.DEBUG_BENCH) say(`[${name}] ${line}`);
      if (!line.startsWith("{")) return;
      const { msg, time } = JSON.parse(line) as { msg?: string; time?: number };
      if (msg && time && !(msg in times)) times[msg] = time;
    },
  });
  try {
    let exitCode: number | null | undefined;
    void indexer.process.exited.then((code) => (exitCode = code));
    await waitFor(`${name} to go live`, async () => {
      if (exitCode !== undefined) throw new Error(`${name} exited with code ${exitCode} (DEBUG_BENCH=1 shows its logs)`);
      return times["Started live indexing"] !== undefined;
    }, 600_000, 100);
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const rpcRequests = metrics
      .split("\n")
      .filter((line) => line.startsWith("ponder_rpc_request_duration_count"))
      .reduce((sum, line) => sum + Number(line.split(" ").at(-1)), 0);
    const backfillMs = times["Started live indexing"]! - (times["Started backfill indexing"] ?? times["Started live indexing"]!);
    const events = tokens * apps[name].eventsPerToken;
    return { eventsPerSecond: events / (backfillMs / 1000), backfillMs, rpcRequests, peakRssMb: peakRssMb(indexer.process.pid) };
  } finally {
    await indexer.process.stop();
  }
}

/** The largest resident set of the Ponder process under the guard `guardPid`, in MB. */
function peakRssMb(guardPid: number): number {
  const children = execFileSync("ps", ["-o", "pid=", "--ppid", String(guardPid)], { encoding: "utf8" }).trim().split(/\s+/);
  let peakKb = 0;
  for (const pid of children.filter(Boolean)) {
    const status = execFileSync("cat", [`/proc/${pid}/status`], { encoding: "utf8" });
    peakKb = Math.max(peakKb, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));
  }
  return Math.round(peakKb / 1024);
}
