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

type TFactRow = {
  delivery_id: string;
  entity_type: TEntityType;
  entity_key: string;
  at: string;
  rank: number;
  tiebreak: string;
  data: Record<string, unknown>;
  dimension: boolean;
};

const compareFacts = (a: TFactRow, b: TFactRow) =>
  Date.parse(a.at) - Date.parse(b.at) || a.rank - b.rank || (a.tiebreak < b.tiebreak ? -1 : a.tiebreak > b.tiebreak ? 1 : 0);

/**
 * Turns stored deliveries into graph rows, several in one transaction: normalize each (pure), replace
 * their facts, re-fold every entity they touch once (however many of the deliveries touch it), link
 * evidence, write timeline entries; then re-fold the shared accounts and projects (short
 * transactions); queue the people-linking pass; then mark the deliveries processed. A crash in between
 * leaves them pending, and running them again gives the same rows. Folding reads all of an entity's
 * facts, so the graph does not depend on which deliveries share a batch or in what order batches run.
 * Safe to run twice or concurrently for one delivery; `force` re-processes processed deliveries
 * (replay). Throws when anything fails (nothing of the batch is then marked processed): callers that
 * batch retry one by one so that one bad delivery cannot hold back the others.
 */
export async function processDeliveries(pool: pg.Pool, deliveryIds: string[], force = false): Promise<Map<string, TProcessOutcome>> {
  const outcomes = new Map<string, TProcessOutcome>(deliveryIds.map((id) => [id, { state: "skipped" }]));
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    // Row locks in id order, so two batches that share a delivery (a replay) never deadlock on them.
    const { rows } = await client.query<TDeliveryRow>(
      `SELECT id, source, event_type, body, sha256, received_at, request_url, processing_state, attempts FROM delivery
       WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
      [deliveryIds],
    );
    const deliveries = rows
      .filter((d) => force || d.processing_state !== "processed")
      .sort((a, b) => a.received_at.getTime() - b.received_at.getTime() || (a.id < b.id ? -1 : 1));
    if (!deliveries.length) {
      await client.query("ROLLBACK");
      return outcomes;
    }
    // Replace whatever an earlier (possibly interrupted) run wrote for these deliveries.
    await client.query("DELETE FROM fact WHERE delivery_id = ANY($1::uuid[])", [deliveries.map((d) => d.id)]);
    const normalized = deliveries.map((delivery) => ({
      delivery,
      result: normalizeDelivery({
        source: delivery.source,
        eventType: delivery.event_type,
        body: delivery.body,
        sha256: delivery.sha256,
        receivedAt: delivery.received_at,
        requestUrl: delivery.request_url,
      }),
    }));
    const unused = normalized.flatMap(({ delivery, result }) =>
      result.status === "processed" ? [] : [{ id: delivery.id, state: result.status, detail: result.status === "invalid" ? result.error : result.reason }],
    );
    if (unused.length) {
      await client.query(
        `UPDATE delivery d SET processing_state = x.state::"ProcessingState", processing_error = x.detail, processed_at = now(), attempts = d.attempts + 1
         FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, state text, detail text) WHERE d.id = x.id`,
        [JSON.stringify(unused)],
      );
    }
    const used = normalized.flatMap(({ delivery, result }) => (result.status === "processed" ? [{ delivery, facts: result.facts, timeline: result.timeline }] : []));
    if (!used.length) {
      await client.query("COMMIT");
      for (const u of unused) outcomes.set(u.id, { state: u.state, detail: u.detail });
      return outcomes;
    }

    const touched = new Map<string, TEntityType>();
    const lockKeys = new Set<string>();
    const factRows: TFactRow[] = [];
    const evidence: Array<{ t: string; k: string; d: string }> = [];
    for (const { delivery, facts } of used) {
      const mine = new Set<string>();
      for (const [index, fact] of facts.entries()) {
        touched.set(fact.key, fact.type);
        if (!mine.has(fact.key)) evidence.push({ t: fact.type, k: fact.key, d: delivery.id });
        mine.add(fact.key);
        factRows.push({
          delivery_id: delivery.id,
          entity_type: fact.type,
          entity_key: fact.key,
          at: fact.at,
          rank: fact.rank,
          tiebreak: `${delivery.sha256}:${String(index).padStart(4, "0")}`,
          data: fact.data,
          dimension: dimensions.has(fact.type),
        });
        if (dimensions.has(fact.type)) continue;
        lockKeys.add(fact.key);
        for (const ref of referencedKeys(fact)) if (!isDimensionKey(ref)) lockKeys.add(ref);
      }
    }
    // Accounts and projects are restated by almost every delivery. A fact identical to a later one
    // can never decide a field of the fold, so only the latest copy of each distinct statement is
    // kept (within the batch here, against stored facts below); without this, folding a busy project
    // would re-read one fact per delivery ever received.
    const latestStatement = new Map<string, TFactRow>();
    for (const row of factRows) {
      if (!row.dimension) continue;
      const id = `${row.entity_type}\u0000${row.entity_key}\u0000${JSON.stringify(row.data)}`;
      const seen = latestStatement.get(id);
      if (!seen || compareFacts(seen, row) < 0) latestStatement.set(id, row);
    }
    const kept = factRows.filter((row) => !row.dimension || latestStatement.get(`${row.entity_type}\u0000${row.entity_key}\u0000${JSON.stringify(row.data)}`) === row);
    // Few round trips per batch: facts, locks, reads, evidence and timeline each go in one statement.
    const rowsJson = JSON.stringify(kept);
    const recordset = `jsonb_to_recordset($1::jsonb) AS x(delivery_id uuid, entity_type text, entity_key text, at timestamptz, rank int, tiebreak text, data jsonb, dimension boolean)`;
    await client.query(
      `DELETE FROM fact f USING ${recordset}
       WHERE x.dimension AND f.entity_type = x.entity_type AND f.entity_key = x.entity_key AND f.data = x.data
         AND (f.at, f.rank, f.tiebreak) < (x.at, x.rank, x.tiebreak)`,
      [rowsJson],
    );
    await client.query(
      `INSERT INTO fact (delivery_id, entity_type, entity_key, at, rank, tiebreak, data)
       SELECT x.delivery_id, x.entity_type, x.entity_key, x.at, x.rank, x.tiebreak, x.data
       FROM ${recordset}
       WHERE NOT (x.dimension AND EXISTS (
         SELECT 1 FROM fact f WHERE f.entity_type = x.entity_type AND f.entity_key = x.entity_key AND f.data = x.data
           AND (f.at, f.rank, f.tiebreak) >= (x.at, x.rank, x.tiebreak)))`,
      [rowsJson],
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
       SELECT x.t, x.k, x.d FROM jsonb_to_recordset($1::jsonb) AS x(t text, k text, d uuid) ON CONFLICT DO NOTHING`,
      [JSON.stringify(evidence)],
    );
    const timeline = [];
    for (const { delivery, timeline: items } of used) {
      for (const [index, item] of items.entries()) {
        timeline.push({
          key: `${delivery.id}:${index}`,
          delivery_id: delivery.id,
          source: delivery.source,
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
    }
    const usedIds = used.map(({ delivery }) => delivery.id);
    await client.query("DELETE FROM timeline_event WHERE delivery_id = ANY($1::uuid[])", [usedIds]);
    await client.query(
      `INSERT INTO timeline_event (key, occurred_at, kind, source, project_path, environment, actor, account_id, title, sha, refs, entity_type, entity_id, delivery_id)
       SELECT x.key, x.occurred_at, x.kind, x.source::"Source", x.project_path, x.environment, x.actor, x.account_id, x.title, x.sha,
              ARRAY(SELECT jsonb_array_elements_text(x.refs)), x.entity_type, x.entity_id, x.delivery_id
       FROM jsonb_to_recordset($1::jsonb) AS x(key text, delivery_id uuid, source text, occurred_at timestamptz, kind text, project_path text, environment text, actor text,
            account_id uuid, title text, sha text, refs jsonb, entity_type text, entity_id text)`,
      [JSON.stringify(timeline)],
    );
    await client.query("COMMIT");
    // Accounts and projects are shared by nearly every delivery: fold them in short transactions of
    // their own (once per batch, in key order) so their locks are held for milliseconds, not for a whole batch.
    for (const [key, type] of [...touched].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (dimensions.has(type)) await foldDimension(client, type, key);
    }
    // People follow accounts (and commit emails). Linking is one global pass, so it is queued as a
    // single coalesced job (at most one waiting, run within seconds) instead of running per delivery.
    if ([...touched.values()].some((type) => type === "account" || type === "commit")) {
      // A waiting (not yet started) pass starts after these deliveries' accounts were committed above, so
      // it will see them: only add one when none waits. This keeps concurrent workers off the job
      // key's row, which every batch would otherwise lock in turn.
      await client.query(
        `SELECT graphile_worker.add_job('link_people', '{}'::json, job_key := 'link-people', run_at := now() + interval '2 seconds', job_key_mode := 'preserve_run_at')
         WHERE NOT EXISTS (SELECT 1 FROM graphile_worker.jobs WHERE key = 'link-people' AND locked_at IS NULL)`,
      );
    }
    await client.query(
      "UPDATE delivery SET processing_state = 'processed', processing_error = NULL, processed_at = now(), attempts = attempts + 1 WHERE id = ANY($1::uuid[])",
      [usedIds],
    );
    for (const u of unused) outcomes.set(u.id, { state: u.state, detail: u.detail });
    for (const id of usedIds) outcomes.set(id, { state: "processed" });
    return outcomes;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
