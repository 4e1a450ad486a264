import "server-only";
import { createHash } from "node:crypto";
import type pg from "pg";
import { announceDeliveries } from "@/lib/queue/announce-deliveries";

export type TRecordDeliveryInput = {
  source: "gitlab" | "buildkite" | "credentials";
  origin?: "webhook" | "api";
  eventType: string;
  dedupeKey: string;
  body: Buffer;
  headers: Record<string, string>;
  verifyMethod: string;
  verifyResult: string;
  requestUrl?: string | null;
};

export type TRecordDeliveryResult =
  | { id: string; duplicate: false }
  | { id: string | null; duplicate: true; sameBody: boolean };

// A statement that has not answered after this long fails (and its connection is discarded), so a
// locked table or a silent network turns into a 503 inside the sender's timeout instead of a hang
// that also keeps a pool connection forever. If the server still commits it later, the sender's
// retry is answered as a duplicate: never a 2xx for a delivery that is not stored.
const STORE_TIMEOUT_MS = 1_500;

// pg honours a per-query `query_timeout`; its type definitions do not list it.
const timed = (text: string, values: unknown[]) => ({ text, values, query_timeout: STORE_TIMEOUT_MS }) as pg.QueryConfig;

export function sha256Hex(body: Uint8Array): string {
  return createHash("sha256").update(body).digest("hex");
}

/**
 * The one durable, idempotent raw store every source writes first: one INSERT of the exact bytes in
 * state `received`. A dispatcher hands stored deliveries to the job queue in batches
 * (lib/queue/dispatch-deliveries.ts), so an acknowledged delivery is always processed without the
 * request paying for a queue insert; `announceDeliveries` wakes it. A second delivery with the same
 * (source, dedupe key) stores nothing and reports the duplicate. Throws when the database cannot
 * commit, or does not answer within STORE_TIMEOUT_MS; callers answer 503.
 */
export async function recordDelivery(pool: pg.Pool, input: TRecordDeliveryInput): Promise<TRecordDeliveryResult> {
  const { rows } = await pool.query<{ id: string }>(
    timed(
      `INSERT INTO delivery (id, source, origin, event_type, dedupe_key, body, headers, sha256, byte_length, verify_method, verify_result, request_url)
       VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (source, dedupe_key) DO NOTHING
       RETURNING id`,
      [
        input.source,
        input.origin ?? "webhook",
        input.eventType.slice(0, 200),
        input.dedupeKey,
        input.body,
        JSON.stringify(input.headers),
        sha256Hex(input.body),
        input.body.byteLength,
        input.verifyMethod,
        input.verifyResult,
        input.requestUrl ?? null,
      ],
    ),
  );
  const id = rows[0]?.id;
  if (id) {
    announceDeliveries(pool);
    return { id, duplicate: false };
  }
  const existing = await pool.query<{ id: string; sha256: string }>(
    timed("SELECT id, sha256 FROM delivery WHERE source = $1 AND dedupe_key = $2", [input.source, input.dedupeKey]),
  );
  const row = existing.rows[0];
  return { id: row?.id ?? null, duplicate: true, sameBody: !row || row.sha256 === sha256Hex(input.body) };
}
