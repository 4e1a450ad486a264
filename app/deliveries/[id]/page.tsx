import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { LocalTime } from "@/components/local-time";
import { PageHeader } from "@/components/page-header";
import { StatusBadge } from "@/components/status-badge";
import { getDelivery } from "@/lib/domain/get-delivery";

export const metadata: Metadata = { title: "Delivery" };
export const dynamic = "force-dynamic";

function pretty(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

export default async function DeliveryPage({ params }: { params: Promise<{ id: string }> }) {
  const delivery = await getDelivery((await params).id);
  if (!delivery) notFound();
  return (
    <>
      <PageHeader
        title={`${delivery.source} ${delivery.event}`}
        lede={
          <>
            Received <LocalTime iso={delivery.receivedAt} /> · {delivery.byteLength} bytes · <StatusBadge value={delivery.processingState === "done" ? "success" : delivery.processingState} /> ·{" "}
            <a href={`/api/v1/deliveries/${delivery.id}`}>JSON</a>
          </>
        }
      />
      <section className="panel" aria-labelledby="integrity">
        <h2 id="integrity">Integrity</h2>
        <table aria-label="Integrity">
          <tbody>
            <tr>
              <th scope="row">Delivery</th>
              <td className="mono">{delivery.id}</td>
            </tr>
            <tr>
              <th scope="row">SHA-256 of the body</th>
              <td className="mono">{delivery.sha256}</td>
            </tr>
            <tr>
              <th scope="row">Verified by</th>
              <td>
                {delivery.verifyMethod}: {delivery.verifyResult}
              </td>
            </tr>
            <tr>
              <th scope="row">Origin</th>
              <td>{delivery.origin}</td>
            </tr>
            {delivery.processingError ? (
              <tr>
                <th scope="row">Processing error</th>
                <td className="error">{delivery.processingError}</td>
              </tr>
            ) : null}
          </tbody>
        </table>
        <p className="empty">
          Check it yourself: <a href={`/api/v1/deliveries/${delivery.id}?format=raw`}>download the body byte for byte</a> and compare its <code>sha256sum</code> with the value above.
        </p>
      </section>
      <section className="panel" aria-labelledby="facts">
        <h2 id="facts">Evidence for ({delivery.facts.length})</h2>
        {delivery.facts.length === 0 ? (
          <p className="empty">This delivery is not evidence for any fact (an event Custody stores but does not use, or not processed yet).</p>
        ) : (
          <ul>
            {delivery.facts.map((f) => (
              <li key={`${f.entityType}:${f.entityId}`} className="mono">
                {f.entityType} {f.entityId}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="panel" aria-labelledby="headers">
        <h2 id="headers">Headers (secrets redacted at receipt)</h2>
        <pre className="raw" tabIndex={0}>
          {JSON.stringify(delivery.headers, null, 2)}
        </pre>
      </section>
      <section className="panel" aria-labelledby="body">
        <h2 id="body">Body</h2>
        <pre className="raw" tabIndex={0} aria-label="Body of the delivery">
          {pretty(delivery.body)}
        </pre>
      </section>
    </>
  );
}
