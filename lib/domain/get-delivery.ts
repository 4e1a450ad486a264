import "server-only";
import { db } from "@/lib/db";
import type { TDeliveryDetail } from "@/lib/contracts/provenance";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * One stored delivery as received: redacted headers, the raw body and the entities it is evidence
 * for. Secrets never reach this table (headers are redacted at receipt, tokens refused). Null when unknown.
 */
export async function getDelivery(id: string): Promise<TDeliveryDetail | null> {
  if (!UUID.test(id)) return null;
  const d = await db.delivery.findUnique({ where: { id }, include: { evidence: { select: { entityType: true, entityId: true }, take: 500 } } });
  if (!d) return null;
  return {
    id: d.id,
    source: d.source,
    origin: d.origin,
    event: d.eventType,
    sha256: d.sha256,
    byteLength: d.byteLength,
    receivedAt: d.receivedAt.toISOString(),
    verifyMethod: d.verifyMethod,
    verifyResult: d.verifyResult,
    processingState: d.processingState,
    processingError: d.processingError,
    headers: (d.headers ?? {}) as Record<string, unknown>,
    body: Buffer.from(d.body).toString("utf8"),
    facts: d.evidence.map((e) => ({ entityType: e.entityType, entityId: e.entityId })),
  };
}
