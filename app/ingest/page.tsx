import type { Metadata } from "next";
import { HourlyBars } from "@/components/hourly-bars";
import { LiveRefresh } from "@/components/live-refresh";
import { LocalTime } from "@/components/local-time";
import { PageHeader } from "@/components/page-header";
import { getIngestStatus } from "@/lib/domain/get-ingest-status";

export const metadata: Metadata = { title: "Ingest" };
export const dynamic = "force-dynamic";

export default async function IngestPage() {
  const status = await getIngestStatus();
  return (
    <>
      <PageHeader title="Ingest" lede="Webhook deliveries per source, refused attempts and deliveries that need a look (last 24 hours)." />
      <LiveRefresh />
      <section className="panel" aria-labelledby="sources">
        <h2 id="sources">Sources</h2>
        <table>
          <thead>
            <tr>
              <th>Source</th>
              <th>Authentication</th>
              <th>Deliveries (24 h)</th>
              <th>Per hour</th>
            </tr>
          </thead>
          <tbody>
            {status.sources.map((s) => {
              const counts = status.perSource.filter((p) => p.source === s.source);
              const total = counts.reduce((sum, c) => sum + c.count, 0);
              return (
                <tr key={s.source}>
                  <td>{s.source === "gitlab" ? "GitLab" : "Buildkite"}</td>
                  <td>
                    {s.refusingBecause ? (
                      <span className="badge bad">refusing every request: {s.refusingBecause}</span>
                    ) : (
                      s.configured.join(", ")
                    )}
                  </td>
                  <td>
                    {total} {counts.length ? `(${counts.map((c) => `${c.count} ${c.state}`).join(", ")})` : ""}
                  </td>
                  <td>
                    <HourlyBars label={s.source} points={status.hourly.filter((h) => h.source === s.source)} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <p className="empty">Waiting to be processed: {status.backlog}</p>
      </section>
      <section className="panel" aria-labelledby="rejected">
        <h2 id="rejected">Refused attempts</h2>
        {status.rejections.length === 0 ? (
          <p className="empty">No refused requests in the last 24 hours.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>Source</th>
                <th>Reason</th>
                <th>Count</th>
                <th>Last</th>
              </tr>
            </thead>
            <tbody>
              {status.rejections.map((r) => (
                <tr key={`${r.source}:${r.reason}`}>
                  <td>{r.source}</td>
                  <td>{r.reason}</td>
                  <td>{r.count}</td>
                  <td>
                    <LocalTime iso={r.lastAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="panel" aria-labelledby="problems">
        <h2 id="problems">Failed and invalid deliveries</h2>
        {status.problems.length === 0 ? (
          <p className="empty">Every stored delivery was processed or deliberately ignored.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>Received</th>
                <th>Source</th>
                <th>Event</th>
                <th>State</th>
                <th>Error</th>
                <th>Delivery</th>
              </tr>
            </thead>
            <tbody>
              {status.problems.map((p) => (
                <tr key={p.id}>
                  <td>
                    <LocalTime iso={p.receivedAt} />
                  </td>
                  <td>{p.source}</td>
                  <td>{p.eventType}</td>
                  <td>
                    <span className={`badge ${p.state === "failed" ? "bad" : "warn"}`}>{p.state}</span> after {p.attempts} attempt(s)
                  </td>
                  <td>{p.error}</td>
                  <td className="mono">{p.id}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <p className="empty">
          Re-process with <code>npx custody replay --failed</code> or <code>npx custody replay &lt;delivery id&gt;</code>.
        </p>
      </section>
    </>
  );
}
