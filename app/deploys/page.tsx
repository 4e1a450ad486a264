import type { Metadata } from "next";
import Link from "next/link";
import { LocalTime } from "@/components/local-time";
import { PageHeader } from "@/components/page-header";
import { StatusBadge } from "@/components/status-badge";
import { ZDeploymentsQuery } from "@/lib/contracts/deployments";
import { entityPaths } from "@/lib/shared/entity-paths";
import { findDeployments } from "@/lib/domain/find-deployments";

export const metadata: Metadata = { title: "Deploys" };
export const dynamic = "force-dynamic";

export default async function DeploysPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const raw = await searchParams;
  const parsed = ZDeploymentsQuery.safeParse(Object.fromEntries(Object.entries(raw).filter(([, v]) => typeof v === "string" && v !== "")));
  const query = parsed.success ? parsed.data : ZDeploymentsQuery.parse({});
  const page = await findDeployments(query).catch(() => ({ items: [], nextCursor: null }));
  const next = new URLSearchParams({
    ...(query.environment ? { environment: query.environment } : {}),
    ...(query.project ? { project: query.project } : {}),
    ...(page.nextCursor ? { cursor: page.nextCursor } : {}),
  });
  return (
    <>
      <PageHeader title="Deploys" lede="Every deployment Custody has evidence for, newest first. Open one for its receipt." />
      <form className="panel" method="get" aria-label="Filter deploys">
        <label>
          Environment <input name="environment" defaultValue={query.environment ?? ""} placeholder="production" />
        </label>{" "}
        <label>
          Project <input name="project" defaultValue={query.project ?? ""} placeholder="group/project" />
        </label>{" "}
        <button type="submit">Filter</button>
      </form>
      <section className="panel">
        {page.items.length === 0 ? (
          <p className="empty">No deployments match. Deployments appear when GitLab Deployment Hooks or Buildkite deploy jobs arrive (see docs/ingest.md).</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>When</th>
                <th>Environment</th>
                <th>Project</th>
                <th>Status</th>
                <th>Commit</th>
                <th>Via</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((d) => (
                <tr key={d.id}>
                  <td>
                    <Link href={`/deploys/${d.id}`}>
                      <LocalTime iso={d.occurredAt} />
                    </Link>
                  </td>
                  <td>{d.environment}</td>
                  <td>{d.project ?? "—"}</td>
                  <td>
                    <StatusBadge value={d.status} />
                  </td>
                  <td className="mono">{d.commitSha ? <Link href={entityPaths.commit(d.commitSha)}>{d.commitSha.slice(0, 12)}</Link> : "—"}</td>
                  <td>{d.provider === "gitlab" ? "GitLab" : "Buildkite"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {page.nextCursor ? (
          <p>
            <Link href={`/deploys?${next.toString()}`}>Older deploys →</Link>
          </p>
        ) : null}
      </section>
    </>
  );
}
