import type { Metadata } from "next";
import Link from "next/link";
import { LiveRefresh } from "@/components/live-refresh";
import { LocalTime } from "@/components/local-time";
import { PageHeader } from "@/components/page-header";
import { ZTimelineQuery } from "@/lib/contracts/timeline";
import { findTimelineEvents } from "@/lib/domain/find-timeline-events";

export const metadata: Metadata = { title: "Timeline" };
export const dynamic = "force-dynamic";

const kinds = [
  ["", "Every kind"],
  ["merge_request", "Merge requests"],
  ["pipeline", "Pipelines"],
  ["job", "GitLab jobs"],
  ["build", "Buildkite builds"],
  ["gate", "Gates"],
  ["deploy", "Buildkite deploys"],
  ["deployment", "GitLab deployments"],
  ["push", "Pushes"],
  ["audit", "Custody audit"],
] as const;

export default async function TimelinePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const raw = Object.fromEntries(Object.entries(await searchParams).filter(([, v]) => typeof v === "string" && v !== "")) as Record<string, string>;
  const parsed = ZTimelineQuery.safeParse(raw);
  const query = parsed.success ? parsed.data : ZTimelineQuery.parse({});
  const page = await findTimelineEvents(query).catch(() => ({ items: [], nextCursor: null, deployments: [] }));
  const nextParams = new URLSearchParams({ ...raw, ...(page.nextCursor ? { cursor: page.nextCursor } : {}) });
  return (
    <>
      <PageHeader title="Timeline" lede="Every fact in one stream, newest first. Filters live in the URL, so a view can be shared." />
      <LiveRefresh />
      <form className="panel" method="get" role="search" aria-label="Search the timeline">
        <label>
          Search <input name="q" defaultValue={query.q ?? ""} placeholder="SHA, group/project!17, #1183467, text…" size={36} autoFocus />
        </label>{" "}
        <label>
          Project <input name="project" defaultValue={query.project ?? ""} placeholder="group/project" />
        </label>{" "}
        <label>
          Environment <input name="environment" defaultValue={query.environment ?? ""} placeholder="production" size={12} />
        </label>{" "}
        <label>
          Person <input name="person" defaultValue={query.person ?? ""} placeholder="username" size={12} />
        </label>{" "}
        <label>
          Kind{" "}
          <select name="kind" defaultValue={query.kind ?? ""}>
            {kinds.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>{" "}
        <button type="submit">Search</button> <Link href="/timeline">Clear</Link>
        {!parsed.success ? <p className="badge bad">Some filters were not understood and were ignored.</p> : null}
      </form>
      {page.deployments.length ? (
        <section className="panel" aria-label="Deploys of this commit">
          <h2>Deploys of this commit</h2>
          <ul>
            {page.deployments.map((d) => (
              <li key={d.id}>
                <Link href={`/deploys/${d.id}`}>
                  {d.environment} — {d.status ?? "unknown"} — <LocalTime iso={d.occurredAt} />
                </Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section className="panel">
        {page.items.length === 0 ? (
          <p className="empty">Nothing matches. Facts appear here as soon as webhook deliveries are processed.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>When</th>
                <th>What</th>
                <th>Who</th>
                <th>Project</th>
                <th>Commit</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((item) => (
                <tr key={item.id} data-kind={item.kind}>
                  <td>
                    <LocalTime iso={item.occurredAt} />
                  </td>
                  <td>{item.title}</td>
                  <td>{item.actor ? <Link href={`/timeline?person=${encodeURIComponent(item.actor)}`}>{item.actor}</Link> : "—"}</td>
                  <td>{item.projectPath ? <Link href={`/timeline?project=${encodeURIComponent(item.projectPath)}`}>{item.projectPath}</Link> : "—"}</td>
                  <td className="mono">{item.sha ? <Link href={`/timeline?q=${item.sha}`}>{item.sha.slice(0, 8)}</Link> : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {page.nextCursor ? (
          <p>
            <Link href={`/timeline?${nextParams.toString()}`}>Older →</Link>
          </p>
        ) : null}
      </section>
    </>
  );
}
