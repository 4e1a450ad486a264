import "server-only";
import { db } from "@/lib/db";
import type { TEvidenceItem } from "@/lib/contracts/provenance";

/** The deliveries behind a set of entity keys (fact_evidence.entity_id), oldest first, each once. */
export async function findEvidence(entityKeys: string[]): Promise<TEvidenceItem[]> {
  if (!entityKeys.length) return [];
  const rows = await db.factEvidence.findMany({
    where: { entityId: { in: [...new Set(entityKeys)] } },
    include: { delivery: { select: { id: true, source: true, eventType: true, sha256: true, receivedAt: true, origin: true } } },
  });
  return [...new Map(rows.map((e) => [e.delivery.id, e.delivery])).values()]
    .sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime() || a.id.localeCompare(b.id))
    .map((d) => ({ deliveryId: d.id, source: d.source, event: d.eventType, sha256: d.sha256, receivedAt: d.receivedAt.toISOString(), origin: d.origin }));
}
