import "server-only";
import type pg from "pg";
import { normalizeDelivery } from "../normalize/normalize-delivery.ts";
import { entityOrder, type TFact, type TEntityType } from "../normalize/types.ts";
import { resolveEntityKey } from "./resolve-entity-key.ts";
import type { TStoredFact } from "./fold-facts.ts";
import { writeEntity } from "./write-entity.ts";

export type TProcessOutcome = { state: "processed" | "ignored" | "invalid" | "skipped"; detail?: string };

type TDeliveryRow = {
  id: string;
  source: "gitlab" | "buildkite" | "credentials";
  event_type: string;
  body: Buffer;
  sha256: string;
  received_at: Date;
  request_url: string | null;
  processing_state: string;
  attempts: number;
};

const dimensions = new Set<TEntityType>(["account", "project"]);
const isDimensionKey = (key: string) => /^(gitlab|buildkite):(user|project):/.test(key);

/**
 * Re-folds one account or project in its own transaction. Asynchronous commit is safe here: the
 * row is derived data, and the synchronous commit that marks the delivery processed comes after it
 * in the WAL, so it cannot survive a crash without this one.
 */
async function foldDimension(client: pg.PoolClient, type: TEntityType, key: string): Promise<void> {
  await client.query("BEGIN");
  try {
    await client.query("SET LOCAL synchronous_commit = off");
    await client.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [key]);
    const { rows } = await client.query<TStoredFact>("SELECT at, rank, tiebreak, data FROM fact WHERE entity_type = $1 AND entity_key = $2", [type, key]);
    await writeEntity(client, type, key, rows, new Map());
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  }
}

function referencedKeys(fact: TFact): string[] {
  return Object.entries(fact.data)
    .filter(([field, value]) => field.endsWith("Key") && typeof value === "string")
    .map(([, value]) => value as string);
}

/**
 * Turns one stored delivery into graph rows: normalize (pure), replace the delivery's facts, re-fold
 * every entity they touch, link evidence, write timeline entries (one transaction); then re-fold the
 * shared accounts and projects (short transactions); queue the people-linking pass; then mark the
 * delivery processed. A crash in between leaves the delivery pending, and running it again gives the
 * same rows. Safe to run twice or concurrently for one delivery; `force` re-processes a processed delivery (replay).
 */
export async function processDelivery(pool: pg.Pool, deliveryId: string, force = false): Promise<TProcessOutcome> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const { rows } = await client.query<TDeliveryRow>(
      "SELECT id, source, event_type, body, sha256, received_at, request_url, processing_state, attempts FROM delivery WHERE id = $1 FOR UPDATE",
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
      requestUrl: delivery.request_url,
    });
    // Replace whatever an earlier (possibly interrupted) run wrote for this delivery.
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
    for (const fact of result.facts) {
      touched.set(fact.key, fact.type);
      if (dimensions.has(fact.type)) continue;
      lockKeys.add(fact.key);
      for (const ref of referencedKeys(fact)) if (!isDimensionKey(ref)) lockKeys.add(ref);
    }
    // Few round trips per delivery: facts, locks, reads, evidence and timeline each go in one statement.
    const rowsJson = JSON.stringify(
      result.facts.map((fact, index) => ({
        entity_type: fact.type,
        entity_key: fact.key,
        at: fact.at,
        rank: fact.rank,
        tiebreak: `${delivery.sha256}:${String(index).padStart(4, "0")}`,
        data: fact.data,
        dimension: dimensions.has(fact.type),
      })),
    );
    // Accounts and projects are restated by almost every delivery. A fact identical to a later one
    // can never decide a field of the fold, so only the latest copy of each distinct statement is
    // kept; without this, folding a busy project would re-read one fact per delivery ever received.
    await client.query(
      `DELETE FROM fact f USING jsonb_to_recordset($1::jsonb) AS x(entity_type text, entity_key text, at timestamptz, rank int, tiebreak text, data jsonb, dimension boolean)
       WHERE x.dimension AND f.entity_type = x.entity_type AND f.entity_key = x.entity_key AND f.data = x.data
         AND (f.at, f.rank, f.tiebreak) < (x.at, x.rank, x.tiebreak)`,
      [rowsJson],
    );
    await client.query(
      `INSERT INTO fact (delivery_id, entity_type, entity_key, at, rank, tiebreak, data)
       SELECT $1, x.entity_type, x.entity_key, x.at, x.rank, x.tiebreak, x.data
       FROM jsonb_to_recordset($2::jsonb) AS x(entity_type text, entity_key text, at timestamptz, rank int, tiebreak text, data jsonb, dimension boolean)
       WHERE NOT (x.dimension AND EXISTS (
         SELECT 1 FROM fact f WHERE f.entity_type = x.entity_type AND f.entity_key = x.entity_key AND f.data = x.data
           AND (f.at, f.rank, f.tiebreak) >= (x.at, x.rank, x.tiebreak)))`,
      [deliveryId, rowsJson],
    );
    // Advisory locks in sorted order: workers folding overlapping entities wait instead of racing or deadlocking.
    await client.query(
      "SELECT count(pg_advisory_xact_lock(hashtextextended(k, 0))) FROM (SELECT k FROM unnest($1::text[]) AS k ORDER BY k) AS sorted",
      [[...lockKeys].sort()],
    );
    const folded = [...touched].filter(([, type]) => !dimensions.has(type));
    const { rows: stored } = await client.query<TStoredFact & { entity_type: string; entity_key: string }>(
      "SELECT entity_type, entity_key, at, rank, tiebreak, data FROM fact WHERE entity_type = ANY($1::text[]) AND entity_key = ANY($2::text[])",
      [[...new Set(folded.map(([, type]) => type))], folded.map(([key]) => key)],
    );
    const byEntity = new Map<string, TStoredFact[]>();
    for (const row of stored) {
      const id = `${row.entity_type}\u0000${row.entity_key}`;
      const list = byEntity.get(id) ?? [];
      list.push(row);
      byEntity.set(id, list);
    }
    const cache = new Map<string, string>();
    for (const type of entityOrder) {
      for (const [key, keyType] of folded) {
        if (keyType === type) await writeEntity(client, type, key, byEntity.get(`${type}\u0000${key}`) ?? [], cache);
      }
    }
    await client.query(
      `INSERT INTO fact_evidence (entity_type, entity_id, delivery_id)
       SELECT t, k, $3 FROM unnest($1::text[], $2::text[]) AS x(t, k) ON CONFLICT DO NOTHING`,
      [[...touched.values()], [...touched.keys()], deliveryId],
    );
    const timeline = [];
    for (const [index, item] of result.timeline.entries()) {
      timeline.push({
        key: `${deliveryId}:${index}`,
        occurred_at: item.at,
        kind: item.kind,
        project_path: item.projectPath ?? null,
        environment: item.environment ?? null,
        actor: item.actor ?? null,
        account_id: item.actorKey ? await resolveEntityKey(client, item.actorKey, cache) : null,
        title: item.title.slice(0, 500),
        sha: item.sha ?? null,
        refs: [...new Set(item.refs.filter(Boolean))],
        entity_type: item.entityType ?? null,
        entity_id: item.entityKey ?? null,
      });
    }
    await client.query("DELETE FROM timeline_event WHERE delivery_id = $1", [deliveryId]);
    await client.query(
      `INSERT INTO timeline_event (key, occurred_at, kind, source, project_path, environment, actor, account_id, title, sha, refs, entity_type, entity_id, delivery_id)
       SELECT x.key, x.occurred_at, x.kind, $2, x.project_path, x.environment, x.actor, x.account_id, x.title, x.sha,
              ARRAY(SELECT jsonb_array_elements_text(x.refs)), x.entity_type, x.entity_id, $1
       FROM jsonb_to_recordset($3::jsonb) AS x(key text, occurred_at timestamptz, kind text, project_path text, environment text, actor text,
            account_id uuid, title text, sha text, refs jsonb, entity_type text, entity_id text)`,
      [deliveryId, delivery.source, JSON.stringify(timeline)],
    );
    await client.query("COMMIT");
    // Accounts and projects are shared by nearly every delivery: fold them in short transactions of
    // their own so their locks are held for milliseconds, not for a whole delivery.
    for (const [key, type] of touched) {
      if (dimensions.has(type)) await foldDimension(client, type, key);
    }
    // People follow accounts (and commit emails). Linking is one global pass, so it is queued as a
    // single coalesced job (at most one waiting, run within seconds) instead of running per delivery.
    if ([...touched.values()].some((type) => type === "account" || type === "commit")) {
      // A waiting (not yet started) pass starts after this delivery's accounts were committed above, so
      // it will see them: only add one when none waits. This keeps concurrent workers off the job
      // key's row, which every delivery would otherwise lock in turn.
      await client.query(
        `SELECT graphile_worker.add_job('link_people', '{}'::json, job_key := 'link-people', run_at := now() + interval '2 seconds', job_key_mode := 'preserve_run_at')
         WHERE NOT EXISTS (SELECT 1 FROM graphile_worker.jobs WHERE key = 'link-people' AND locked_at IS NULL)`,
      );
    }
    await client.query(
      "UPDATE delivery SET processing_state = 'processed', processing_error = NULL, processed_at = now(), attempts = attempts + 1 WHERE id = $1",
      [deliveryId],
    );
    return { state: "processed" };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
