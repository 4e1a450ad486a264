import type { Metadata } from "next";
import Link from "next/link";
import { LiveRefresh } from "@/components/live-refresh";
import { LocalTime } from "@/components/local-time";
import { PageHeader } from "@/components/page-header";
import { SearchShortcut } from "@/components/search-shortcut";
import { ZTimelineQuery } from "@/lib/contracts/timeline";
import { findTimelineEvents } from "@/lib/domain/find-timeline-events";
import { findTimelineLinks, type TTimelineLinks } from "@/lib/domain/find-timeline-links";
import { entityPaths } from "@/lib/shared/entity-paths";
import { redirect } from "next/navigation";

const MR_REF = /^([\w.-]+(?:\/[\w.-]+)+)!([0-9]{1,9})$/;
const SHA = /^[0-9a-f]{7,40}$/i;

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
  const params = await searchParams;
  const raw = Object.fromEntries(Object.entries(params).filter(([, v]) => typeof v === "string" && v !== "")) as Record<string, string>;
  const { jump, ...kept } = raw;
  // Shared URLs stay clean: no empty fields, and the search box's one-off jump flag is dropped.
  const cleanUrl = `/timeline${Object.keys(kept).length ? `?${new URLSearchParams(kept).toString()}` : ""}`;
  const wantsJump = jump === "1" && !kept.cursor && SHA.test(kept.q?.trim() ?? "");
  if (!wantsJump && (jump !== undefined || Object.keys(raw).length !== Object.keys(params).length)) redirect(cleanUrl);
  const parsed = ZTimelineQuery.safeParse(kept);
  const query = parsed.success ? parsed.data : ZTimelineQuery.parse({});
  const page = await findTimelineEvents(query).catch(() => ({ items: [], nextCursor: null, deployments: [] }));
  const q = query.q?.trim() ?? "";
  if (wantsJump) {
    // A commit deployed exactly once opens its receipt straight away; otherwise show the results.
    redirect(page.deployments.length === 1 ? entityPaths.deploy(page.deployments[0]!.id) : cleanUrl);
  }
  const links: Record<string, TTimelineLinks> = await findTimelineLinks(page.items.map((item) => item.id));
  const mrRef = MR_REF.exec(q);
  const nextParams = new URLSearchParams({ ...kept, ...(page.nextCursor ? { cursor: page.nextCursor } : {}) });
  return (
    <>
      <PageHeader title="Timeline" lede="Every fact in one stream, newest first. Filters live in the URL, so a view can be shared." />
      <LiveRefresh />
      <SearchShortcut targetId="timeline-search" />
      <form className="panel" method="get" role="search" aria-label="Search the timeline">
        <label>
          Search <input id="timeline-search" name="q" type="search" aria-keyshortcuts="/" defaultValue={query.q ?? ""} placeholder="SHA, group/project!17, #1183467, text…" size={36} autoFocus />
        </label>
        <input type="hidden" name="jump" value="1" />{" "}
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
      {mrRef ? (
        <section className="panel" aria-label="Merge request">
          <p>
            <Link href={entityPaths.mergeRequest(mrRef[1]!, Number(mrRef[2]))}>Open merge request {q} →</Link>
          </p>
        </section>
      ) : null}
      {page.deployments.length ? (
        <section className="panel" aria-label="Deploys of this commit">
          <h2>Deploys of this commit</h2>
          <ul>
            {page.deployments.map((d) => (
              <li key={d.id}>
                <Link href={entityPaths.deploy(d.id)}>
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
                <th>Evidence</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((item) => {
                const link = links[item.id];
                return (
                  <tr key={item.id} data-kind={item.kind}>
                    <td>
                      <LocalTime iso={item.occurredAt} />
                    </td>
                    <td>{link?.subject ? <Link href={link.subject}>{item.title}</Link> : item.title}</td>
                    <td>{item.actor ? <Link href={link?.actor ?? `/timeline?person=${encodeURIComponent(item.actor)}`}>{item.actor}</Link> : "—"}</td>
                    <td>{item.projectPath ? <Link href={`/timeline?project=${encodeURIComponent(item.projectPath)}`}>{item.projectPath}</Link> : "—"}</td>
                    <td className="mono">{item.sha ? <Link href={entityPaths.commit(item.sha)}>{item.sha.slice(0, 8)}</Link> : "—"}</td>
                    <td>{item.deliveryId ? <Link href={entityPaths.delivery(item.deliveryId)} aria-label={`Delivery behind: ${item.title}`}>raw</Link> : "—"}</td>
                  </tr>
                );
              })}
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
