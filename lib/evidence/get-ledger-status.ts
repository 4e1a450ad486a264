import "server-only";
import { getPool } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { getSigningKey } from "./get-signing-key.ts";

export type TLedgerStatus = {
  key: { status: "missing" } | { status: "invalid"; message: string } | { status: "ok"; fingerprint: string; publicKeyPem: string };
  checkpointIntervalSeconds: number;
  entries: string;
  lastCheckpoint: { number: string; treeSize: string; createdAt: string } | null;
};

/** What Settings shows about the ledger: the signing key's public half, the tree size and the newest checkpoint. */
export async function getLedgerStatus(): Promise<TLedgerStatus> {
  const signing = getSigningKey();
  const pool = getPool();
  const [head, last] = await Promise.all([
    pool.query<{ size: string }>("SELECT size::text AS size FROM ledger_head WHERE id = 1"),
    pool.query<{ number: string; tree_size: string; created_at: Date }>(
      "SELECT number::text AS number, tree_size::text AS tree_size, created_at FROM ledger_checkpoint ORDER BY ledger_checkpoint.number DESC LIMIT 1",
    ),
  ]);
  const checkpoint = last.rows[0];
  return {
    key: signing.status === "ok" ? { status: "ok", fingerprint: signing.fingerprint, publicKeyPem: signing.publicKeyPem } : signing,
    checkpointIntervalSeconds: getEnv().CUSTODY_CHECKPOINT_INTERVAL,
    entries: head.rows[0]?.size ?? "0",
    lastCheckpoint: checkpoint ? { number: checkpoint.number, treeSize: checkpoint.tree_size, createdAt: checkpoint.created_at.toISOString() } : null,
  };
}
