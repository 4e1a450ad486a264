import { createHash } from "node:crypto";
import canonicalize from "canonicalize";

// The exact bytes each ledger leaf commits to (docs/evidence.md, "Leaf format"). Changing anything
// here changes every leaf hash: bump `v` and keep the old form for entries already appended.

/** A delivery row as read by `deliveryLeafColumns`. */
export type TDeliveryLeafRow = {
  id: string;
  source: string;
  origin: string;
  event_type: string;
  dedupe_key: string;
  body: Buffer;
  headers: unknown;
  verify_method: string;
  verify_result: string;
  request_url: string | null;
  received_at: string;
};

/** An audit_entry row as read by `auditLeafColumns`. */
export type TAuditLeafRow = {
  id: string;
  occurred_at: string;
  actor_type: string;
  actor_id: string | null;
  actor_label: string;
  action: string;
  outcome: string;
  target: string | null;
  ip: string | null;
  user_agent: string | null;
  details: unknown;
};

/** Times are read as text in UTC with the column's full precision, so the bytes do not depend on the reader's clock or driver. */
export const deliveryLeafColumns = `id, source::text AS source, origin::text AS origin, event_type, dedupe_key, body, headers,
  verify_method, verify_result, request_url,
  to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS received_at`;

export const auditLeafColumns = `id, to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS occurred_at,
  actor_type, actor_id, actor_label, action, outcome, target, ip, user_agent, details`;

function canonicalBytes(value: unknown): Buffer {
  const text = canonicalize(value);
  if (text === undefined) throw new Error("ledger leaf cannot be canonicalized");
  return Buffer.from(text, "utf8");
}

/** RFC 8785 bytes of a delivery: every stored field that says what arrived, with the body as the SHA-256 of its exact bytes. */
export function buildDeliveryLeaf(row: TDeliveryLeafRow): Buffer {
  return canonicalBytes({
    v: 1,
    kind: "delivery",
    id: row.id,
    source: row.source,
    origin: row.origin,
    eventType: row.event_type,
    dedupeKey: row.dedupe_key,
    receivedAt: row.received_at,
    bodySha256: createHash("sha256").update(row.body).digest("hex"),
    bodyLength: row.body.length,
    headers: row.headers,
    verifyMethod: row.verify_method,
    verifyResult: row.verify_result,
    requestUrl: row.request_url,
  });
}

/** RFC 8785 bytes of an entry of Custody's own audit trail. */
export function buildAuditLeaf(row: TAuditLeafRow): Buffer {
  return canonicalBytes({
    v: 1,
    kind: "audit",
    id: row.id,
    occurredAt: row.occurred_at,
    actorType: row.actor_type,
    actorId: row.actor_id,
    actorLabel: row.actor_label,
    action: row.action,
    outcome: row.outcome,
    target: row.target,
    ip: row.ip,
    userAgent: row.user_agent,
    details: row.details,
  });
}
