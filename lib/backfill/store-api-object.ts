import "server-only";
import type pg from "pg";
import { normalizeDelivery } from "@/lib/ingest/normalize/normalize-delivery";
import type { TFact } from "@/lib/ingest/normalize/types";
import { recordDelivery, sha256Hex } from "@/lib/ingest/record-delivery";

export type TApiObject = {
  source: "gitlab" | "buildkite";
  /** `api.merge_request`, `api.pipeline`, `api.build.full`, … (see lib/ingest/normalize). */
  eventType: string;
  /** The canonical REST URL of the object, so the same object read from any list page dedupes. */
  url: string;
  /** The list page the object came from, when it came from one. */
  pageUrl?: string | null;
  body: unknown;
};

export type TStoreOutcome = { stored: boolean; deliveryId: string | null; gaps: number };

// Objects whose absence is a gap; accounts, projects and commits are only ever restated alongside them.
const tracked = new Set(["merge_request", "approval", "pipeline", "ci_job", "build", "build_job", "deployment"]);

function stateOf(fact: TFact): string | null {
  const value = fact.data.state ?? fact.data.status;
  return typeof value === "string" ? value : null;
}

/**
 * Stores one REST object as a delivery of origin `api` (the exact JSON text, its URL and fetch time)
 * and records each gap it fills. A gap is a tracked object, or a state of it, that no stored fact
 * knows yet: normalizing the object (the same pure normalizer as webhooks) tells which entities and
 * states it asserts. The dedupe key is the SHA-256 of URL and body, so reading an unchanged object
 * again stores nothing; a webhook arriving later folds into the same entities (they are keyed by
 * external ids), never a duplicate.
 */
export async function storeApiObject(pool: pg.Pool, runId: string, object: TApiObject): Promise<TStoreOutcome> {
  const text = JSON.stringify(object.body);
  const body = Buffer.from(text);
  const dedupeKey = `api:${sha256Hex(Buffer.from(`${object.url}\n${text}`))}`;
  const known = await pool.query("SELECT 1 FROM delivery WHERE source = $1 AND dedupe_key = $2", [object.source, dedupeKey]);
  if (known.rowCount) return { stored: false, deliveryId: null, gaps: 0 };

  const normalized = normalizeDelivery({ source: object.source, eventType: object.eventType, body, sha256: "", receivedAt: new Date(), requestUrl: object.url });
  const claims: { kind: string; key: string; state: string | null }[] = [];
  if (normalized.status === "processed") {
    const seen = new Set<string>();
    for (const fact of normalized.facts) {
      if (!tracked.has(fact.type)) continue;
      const state = stateOf(fact);
      if (fact.rank < 0 && !state) continue; // a job's restatement of its build: not a claim about the build
      const id = `${fact.type}\n${fact.key}\n${state ?? ""}`;
      if (seen.has(id)) continue;
      seen.add(id);
      claims.push({ kind: fact.type, key: fact.key, state });
    }
  }
  // The claims no stored fact knows yet, in one statement however many the object makes.
  const missing = claims.length
    ? (
        await pool.query<{ kind: string; key: string; state: string | null }>(
          `SELECT c.kind, c.key, c.state FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS c(kind, key, state, i)
           WHERE NOT EXISTS (SELECT 1 FROM fact f WHERE f.entity_type = c.kind AND f.entity_key = c.key
                               AND (c.state IS NULL OR f.data->>'state' = c.state OR f.data->>'status' = c.state))
           ORDER BY c.i`,
          [claims.map((c) => c.kind), claims.map((c) => c.key), claims.map((c) => c.state)],
        )
      ).rows
    : [];
  const result = await recordDelivery(pool, {
    source: object.source,
    origin: "api",
    eventType: object.eventType,
    dedupeKey,
    body,
    headers: { "x-custody-fetched-at": new Date().toISOString(), ...(object.pageUrl ? { "x-custody-page-url": object.pageUrl } : {}) },
    verifyMethod: "api",
    verifyResult: object.source === "gitlab" ? "fetched with GITLAB_API_TOKEN" : "fetched with BUILDKITE_API_TOKEN",
    requestUrl: object.url,
  });
  if (result.duplicate || !result.id) return { stored: false, deliveryId: result.id, gaps: 0 };
  if (!missing.length) return { stored: true, deliveryId: result.id, gaps: 0 };
  const { rowCount } = await pool.query(
    `INSERT INTO reconciliation_gap (id, run_id, source, object_kind, external_id, api_state, detail, found_at, filled_at, delivery_id)
     SELECT gen_random_uuid(), $1, $2, g.kind, g.key, coalesce(g.state, ''),
            CASE WHEN coalesce(g.state, '') = '' THEN 'no stored evidence of this ' || g.kind ELSE 'no stored evidence of ' || g.kind || ' in state ' || g.state END,
            now(), now(), $6
     FROM unnest($3::text[], $4::text[], $5::text[]) AS g(kind, key, state)
     ON CONFLICT (source, object_kind, external_id, api_state) DO NOTHING`,
    [runId, object.source, missing.map((g) => g.kind), missing.map((g) => g.key), missing.map((g) => g.state), result.id],
  );
  const gaps = rowCount ?? 0;
  return { stored: true, deliveryId: result.id, gaps };
}
