import { readFile } from "node:fs/promises";
import { closeDb, getPool } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";
import { appendToLedger } from "@/lib/evidence/append-to-ledger";
import { createCheckpoint } from "@/lib/evidence/create-checkpoint";
import { getSigningKey } from "@/lib/evidence/get-signing-key";
import { readPublicKey, type TPublicKey } from "@/lib/evidence/read-signing-key";
import { verifyLedger } from "@/lib/evidence/verify-ledger";
import { openDatabase } from "./with-database.ts";

const usage = `custody ledger verify [--public-key <pem file>]…
       custody ledger checkpoint
       custody ledger export [--after <number>]`;

function options(args: string[], name: string): string[] {
  return args.flatMap((a, i) => (a === name && args[i + 1] ? [args[i + 1]!] : []));
}

/**
 * `custody ledger verify|checkpoint|export`: check the whole ledger against its signed checkpoints
 * (exit 0 only when everything is consistent), sign a checkpoint now, or print the checkpoints as
 * JSON lines for anchoring outside the database.
 */
export async function runLedgerCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== "verify" && sub !== "checkpoint" && sub !== "export") {
    console.error(`Usage: ${usage}`);
    return 2;
  }
  const after = options(rest, "--after")[0];
  if (sub === "export" && after !== undefined && !/^\d+$/.test(after)) {
    console.error(`--after must be a checkpoint number.\nUsage: ${usage}`);
    return 2;
  }
  const trusted: TPublicKey[] = [];
  if (sub === "verify") {
    for (const file of options(rest, "--public-key")) {
      try {
        trusted.push(readPublicKey(await readFile(file, "utf8")));
      } catch (error) {
        console.error(`--public-key ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
        return 2;
      }
    }
  }
  const configured = getSigningKey();
  if (configured.status === "invalid") {
    console.error(configured.message);
    return 2;
  }
  if (sub === "verify" && configured.status === "ok") trusted.push(configured);
  const signingKey = configured.status === "ok" ? configured : null;
  if (sub === "checkpoint" && !signingKey) {
    console.error("CUSTODY_SIGNING_KEY is not set: checkpoints need a signing key (create one with `npx custody keygen`).");
    return 2;
  }
  const database = await openDatabase();
  process.env.DATABASE_URL = database.url;
  resetEnvCache();
  try {
    const pool = getPool();
    if (sub === "verify") {
      const result = await verifyLedger(pool, trusted);
      if (!result.ok) {
        console.error(`Ledger verification FAILED: ${result.problem}`);
        console.error(`(${result.entries} entries and ${result.checkpoints} checkpoints checked before it)`);
        return 1;
      }
      console.log(`Ledger OK: ${result.entries} entries, ${result.checkpoints} checkpoint${result.checkpoints === 1 ? "" : "s"}, root ${result.root}.`);
      if (result.checkpoints === 0) console.log("No checkpoints yet: nothing is signed (set CUSTODY_SIGNING_KEY for the worker).");
      return 0;
    }
    if (sub === "checkpoint" && signingKey) {
      while ((await appendToLedger(pool, { sweep: true })) > 0);
      const checkpoint = (await createCheckpoint(pool, signingKey))!;
      console.log(`Checkpoint ${checkpoint.number}: ${checkpoint.treeSize} entries, root ${checkpoint.rootHash.toString("hex")}.`);
      return 0;
    }
    const { rows } = await pool.query<{ number: string; statement: string; signature: Buffer }>(
      "SELECT number::text AS number, statement, signature FROM ledger_checkpoint WHERE number > $1 ORDER BY ledger_checkpoint.number",
      [after ?? "-1"],
    );
    for (const row of rows) console.log(JSON.stringify({ number: Number(row.number), statement: row.statement, signature: row.signature.toString("base64") }));
    return 0;
  } finally {
    await closeDb();
    await database.close();
  }
}
