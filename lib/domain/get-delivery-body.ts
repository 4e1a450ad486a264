import "server-only";
import { db } from "@/lib/db";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A stored delivery's body, byte for byte as received (what its SHA-256 was taken over). Null when unknown. */
export async function getDeliveryBody(id: string): Promise<{ body: Uint8Array; sha256: string } | null> {
  if (!UUID.test(id)) return null;
  const row = await db.delivery.findUnique({ where: { id }, select: { body: true, sha256: true } });
  return row ? { body: new Uint8Array(row.body), sha256: row.sha256 } : null;
}
