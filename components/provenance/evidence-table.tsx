import Link from "next/link";
import { LocalTime } from "@/components/local-time";
import type { TEvidenceItem } from "@/lib/contracts/provenance";
import { entityPaths } from "@/lib/shared/entity-paths";

/** The deliveries a page rests on; each opens the raw delivery it was built from. */
export function EvidenceTable({ evidence }: { evidence: TEvidenceItem[] }) {
  if (!evidence.length) return <p className="empty">No deliveries are recorded as evidence yet.</p>;
  return (
    <table aria-label="Evidence">
      <thead>
        <tr>
          <th scope="col">Received</th>
          <th scope="col">Source</th>
          <th scope="col">Event</th>
          <th scope="col">SHA-256 of the body</th>
        </tr>
      </thead>
      <tbody>
        {evidence.map((e) => (
          <tr key={e.deliveryId}>
            <td>
              <LocalTime iso={e.receivedAt} />
            </td>
            <td>
              {e.source} ({e.origin})
            </td>
            <td>
              <Link href={entityPaths.delivery(e.deliveryId)}>{e.event}</Link>
            </td>
            <td className="mono">
              <Link href={entityPaths.delivery(e.deliveryId)} aria-label={`Delivery ${e.deliveryId}, SHA-256 ${e.sha256}`}>
                {e.sha256}
              </Link>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
