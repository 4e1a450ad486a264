import Link from "next/link";
import { DeployFrequencyChart } from "@/components/deploy-frequency-chart";
import { LiveRefresh } from "@/components/live-refresh";
import { LocalTime } from "@/components/local-time";
import { PageHeader } from "@/components/page-header";
import { StatusBadge } from "@/components/status-badge";
import { entityPaths } from "@/lib/shared/entity-paths";
import { getOverview } from "@/lib/domain/get-overview";

export const dynamic = "force-dynamic";

export default async function OverviewPage({ searchParams }: { searchParams: Promise<{ days?: string }> }) {
  const days = (await searchParams).days === "90" ? 90 : 30;
  const overview = await getOverview(days);
  return (
    <>
      <PageHeader title="Overview" lede="Who shipped what to production, how, and with which approvals." />
      <LiveRefresh />
      <div className="stats">
        {overview.ingest.map((i) => (
          <div className="stat" key={i.source}>
            <span className="empty">{i.source === "gitlab" ? "GitLab" : "Buildkite"} deliveries (24 h)</span>
            <strong>{i.delivered}</strong>
            <Link href="/ingest">
              {i.failed} failed · {i.rejected} refused
            </Link>
          </div>
        ))}
        <div className="stat">
          <span className="empty">Gates waiting</span>
          <strong>{overview.waitingGates.length}</strong>
          <Link href="/approvals">Approvals</Link>
        </div>
      </div>
      <section className="panel" aria-labelledby="frequency">
        <h2 id="frequency">
          Production deploys and lead time — last {days} days{" "}
          <small>
            <Link href={days === 30 ? "/?days=90" : "/?days=30"}>show {days === 30 ? 90 : 30} days</Link>
          </small>
        </h2>
        <DeployFrequencyChart days={days} points={overview.perDay} />
      </section>
      <section className="panel" aria-labelledby="recent">
        <h2 id="recent">Recent production deploys</h2>
        {overview.recentDeploys.length === 0 ? (
          <p className="empty">No production deploys yet. Connect GitLab and Buildkite (see the README) and they appear here.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>When</th>
                <th>Project</th>
                <th>Status</th>
                <th>Findings</th>
              </tr>
            </thead>
            <tbody>
              {overview.recentDeploys.map((d) => (
                <tr key={d.id}>
                  <td>
                    <Link href={entityPaths.deploy(d.id)}>
                      <LocalTime iso={d.occurredAt} />
                    </Link>
                  </td>
                  <td>{d.project ? <Link href={`/timeline?project=${encodeURIComponent(d.project)}`}>{d.project}</Link> : "—"}</td>
                  <td>
                    <StatusBadge value={d.status} />
                  </td>
                  <td>{d.findings ? <span className="badge bad">{d.findingCodes.join(", ").replaceAll("_", " ")}</span> : <span className="badge ok">none</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="panel" aria-labelledby="gates">
        <h2 id="gates">Gates waiting for approval</h2>
        {overview.waitingGates.length === 0 ? (
          <p className="empty">No build is waiting at a block step.</p>
        ) : (
          <table>
            <tbody>
              {overview.waitingGates.map((g) => (
                <tr key={`${g.pipeline}#${g.buildNumber}:${g.label}`}>
                  <td>
                    <Link href={entityPaths.build(g.pipeline, g.buildNumber)}>{`${g.pipeline} #${g.buildNumber}`}</Link>
                  </td>
                  <td>{g.label}</td>
                  <td className="mono">{g.commitSha ? <Link href={entityPaths.commit(g.commitSha)}>{g.commitSha.slice(0, 8)}</Link> : null}</td>
                  <td>{g.since ? <LocalTime iso={g.since} /> : null}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
