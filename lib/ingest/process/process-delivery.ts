import "server-only";
import type pg from "pg";
import { normalizeDelivery } from "../normalize/normalize-delivery.ts";
import { entityOrder, type TFact, type TEntityType } from "../normalize/types.ts";
import { resolveEntityKey } from "./resolve-entity-key.ts";
import { writeEntity } from "./write-entity.ts";

export type TProcessOutcome = { state: "processed" | "ignored" | "invalid" | "skipped"; detail?: string };

type TDeliveryRow = {
  id: string;
  source: "gitlab" | "buildkite" | "credentials";
  event_type: string;
  body: Buffer;
  sha256: string;
  received_at: Date;
  processing_state: string;
};

function referencedKeys(fact: TFact): string[] {
  return Object.entries(fact.data)
    .filter(([field, value]) => field.endsWith("Key") && typeof value === "string")
    .map(([, value]) => value as string);
}

/**
 * Turns one stored delivery into graph rows, in one transaction: normalize (pure), replace the
 * delivery's facts, re-fold every entity they touch, link evidence, write timeline entries, mark the
 * delivery. Safe to run twice or concurrently for one delivery (row lock + idempotent writes);
 * `force` re-processes a delivery that was already processed (replay after an upgrade).
 */
export async function processDelivery(pool: pg.Pool, deliveryId: string, force = false): Promise<TProcessOutcome> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const { rows } = await client.query<TDeliveryRow>(
      "SELECT id, source, event_type, body, sha256, received_at, processing_state FROM delivery WHERE id = $1 FOR UPDATE",
      [deliveryId],
    );
    const delivery = rows[0];
    if (!delivery || (!force && delivery.processing_state === "processed")) {
      await client.query("ROLLBACK");
      return { state: "skipped" };
    }
    const result = normalizeDelivery({
      source: delivery.source,
      eventType: delivery.event_type,
      body: delivery.body,
      sha256: delivery.sha256,
      receivedAt: delivery.received_at,
    });
    await client.query("DELETE FROM fact WHERE delivery_id = $1", [deliveryId]);
    if (result.status !== "processed") {
      await client.query(
        "UPDATE delivery SET processing_state = $2, processing_error = $3, processed_at = now(), attempts = attempts + 1 WHERE id = $1",
        [deliveryId, result.status, result.status === "invalid" ? result.error : result.reason],
      );
      await client.query("COMMIT");
      return { state: result.status, detail: result.status === "invalid" ? result.error : result.reason };
    }
    const touched = new Map<string, TEntityType>();
    const lockKeys = new Set<string>();
    for (const [index, fact] of result.facts.entries()) {
      touched.set(fact.key, fact.type);
      lockKeys.add(fact.key);
      for (const ref of referencedKeys(fact)) lockKeys.add(ref);
      await client.query(
        "INSERT INTO fact (delivery_id, entity_type, entity_key, at, rank, tiebreak, data) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        [deliveryId, fact.type, fact.key, fact.at, fact.rank, `${delivery.sha256}:${String(index).padStart(4, "0")}`, JSON.stringify(fact.data)],
      );
    }
    // Sorted advisory locks: two workers folding overlapping entities wait instead of racing or deadlocking.
    for (const key of [...lockKeys].sort()) {
      await client.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [key]);
    }
    const cache = new Map<string, string>();
    for (const type of entityOrder) {
      for (const [key, keyType] of touched) {
        if (keyType === type) await writeEntity(client, type, key, cache);
      }
    }
    for (const [key, type] of touched) {
      await client.query(
        "INSERT INTO fact_evidence (entity_type, entity_id, delivery_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        [type, key, deliveryId],
      );
    }
    await client.query("DELETE FROM timeline_event WHERE delivery_id = $1", [deliveryId]);
    for (const [index, item] of result.timeline.entries()) {
      const accountId = item.actorKey ? await resolveEntityKey(client, item.actorKey, cache) : null;
      await client.query(
        `INSERT INTO timeline_event (key, occurred_at, kind, source, project_path, environment, actor, account_id, title, sha, refs, entity_type, entity_id, delivery_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
        [
          `${deliveryId}:${index}`,
          item.at,
          item.kind,
          delivery.source,
          item.projectPath ?? null,
          item.environment ?? null,
          item.actor ?? null,
          accountId,
          item.title.slice(0, 500),
          item.sha ?? null,
          [...new Set(item.refs.filter(Boolean))],
          item.entityType ?? null,
          item.entityKey ?? null,
          deliveryId,
        ],
      );
    }
    await client.query(
      "UPDATE delivery SET processing_state = 'processed', processing_error = NULL, processed_at = now(), attempts = attempts + 1 WHERE id = $1",
      [deliveryId],
    );
    await client.query("COMMIT");
    return { state: "processed" };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
