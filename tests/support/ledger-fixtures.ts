import { createHash, generateKeyPairSync, randomUUID } from "node:crypto";
import type pg from "pg";
import { readSigningKey, type TSigningKey } from "@/lib/evidence/read-signing-key";

/**
 * Empties the ledger between tests. The triggers refuse this to everyone; the table owner can still
 * switch them off, which is exactly why checkpoints must be anchored outside the database
 * (docs/evidence.md). Tests do it as the owner, in one transaction.
 */
export async function resetLedger(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("ALTER TABLE ledger_entry DISABLE TRIGGER USER");
    await client.query("ALTER TABLE ledger_checkpoint DISABLE TRIGGER USER");
    await client.query("TRUNCATE ledger_entry, ledger_checkpoint");
    await client.query("ALTER TABLE ledger_entry ENABLE TRIGGER USER");
    await client.query("ALTER TABLE ledger_checkpoint ENABLE TRIGGER USER");
    await client.query("UPDATE ledger_head SET size = 0, frontier = '{}', delivery_floor = NULL, audit_floor = NULL WHERE id = 1");
    await client.query("DELETE FROM audit_entry");
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  } finally {
    client.release();
  }
}

/** Runs `sql` on a ledger table with its append-only triggers off (what a database admin could do). */
export async function asTableOwner(pool: pg.Pool, table: "ledger_entry" | "ledger_checkpoint", sql: string, values: unknown[] = []): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query(`ALTER TABLE ${table} DISABLE TRIGGER USER`);
    await client.query(sql, values);
    await client.query(`ALTER TABLE ${table} ENABLE TRIGGER USER`);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  } finally {
    client.release();
  }
}

/** Stores a delivery the way the receivers do (one INSERT, state received); returns its id. */
export async function insertDelivery(pool: pg.Pool, body = JSON.stringify({ object_kind: "push", nonce: randomUUID() }), receivedAt?: Date): Promise<string> {
  const bytes = Buffer.from(body);
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO delivery (id, source, event_type, dedupe_key, body, headers, sha256, byte_length, verify_method, verify_result, received_at)
     VALUES ($1::uuid, 'gitlab', 'Push Hook', $1::text, $2, $3, $4, $5, 'token', 'ok', coalesce($6, now())) RETURNING id`,
    [randomUUID(), bytes, { "x-gitlab-event": "Push Hook" }, createHash("sha256").update(bytes).digest("hex"), bytes.length, receivedAt ?? null],
  );
  return rows[0]!.id;
}

/** An audit entry as lib/audit writes them; returns its id. */
export async function insertAuditEntry(pool: pg.Pool, action = "token_created"): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO audit_entry (id, actor_type, actor_label, action, outcome, details) VALUES ($1, 'cli', 'cli:test', $2, 'ok', '{"n": 1}') RETURNING id`,
    [randomUUID(), action],
  );
  return rows[0]!.id;
}

export function newSigningKey(): TSigningKey & { privatePem: string } {
  const privatePem = generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  return { ...readSigningKey(privatePem), privatePem };
}
