import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { LiveRefresh } from "@/components/live-refresh";
import { LocalTime } from "@/components/local-time";
import { PageHeader } from "@/components/page-header";
import { AccountLink } from "@/components/provenance/account-link";
import { CiRunsTable } from "@/components/provenance/ci-runs-table";
import { DeploymentsTable } from "@/components/provenance/deployments-table";
import { EvidenceTable } from "@/components/provenance/evidence-table";
import { StatusBadge } from "@/components/status-badge";
import { getMergeRequest } from "@/lib/domain/get-merge-request";
import { entityPaths } from "@/lib/shared/entity-paths";
import { parseProjectRef } from "@/lib/shared/parse-project-ref";

export const metadata: Metadata = { title: "Merge request" };
export const dynamic = "force-dynamic";

const sha = (value: string | null) => (value ? <Link href={entityPaths.commit(value)}>{value}</Link> : "—");

export default async function MergeRequestPage({ params }: { params: Promise<{ ref: string[] }> }) {
  const ref = parseProjectRef((await params).ref);
  const mr = ref ? await getMergeRequest(ref.project, Number(ref.number)) : null;
  if (!mr) notFound();
  const reference = `${mr.project}!${mr.iid}`;
  const active = mr.approvals.filter((a) => a.approvedAt && !a.revokedAt);
  return (
    <>
      <PageHeader
        title={`${reference} ${mr.title ?? ""}`.trim()}
        lede={
          <>
            <StatusBadge value={mr.state} /> · <span className="mono">{mr.sourceBranch ?? "?"}</span> → <span className="mono">{mr.targetBranch ?? "?"}</span> · by{" "}
            <AccountLink account={mr.author} />
            {mr.url ? (
              <>
                {" "}
                · <a href={mr.url}>Open in GitLab</a>
              </>
            ) : null}{" "}
            · <a href={`/api/v1/merge-requests/${mr.project}/${mr.iid}`}>JSON</a>
          </>
        }
      />
      <LiveRefresh />
      <section className="panel" aria-labelledby="review">
        <h2 id="review">Review</h2>
        <table aria-label="Review">
          <tbody>
            <tr>
              <th scope="row">Author</th>
              <td>
                <AccountLink account={mr.author} withEmail />
              </td>
            </tr>
            <tr>
              <th scope="row">Opened</th>
              <td>{mr.openedAt ? <LocalTime iso={mr.openedAt} /> : "—"}</td>
            </tr>
            <tr>
              <th scope="row">Approvals ({active.length})</th>
              <td>
                {mr.approvals.length === 0
                  ? "none"
                  : mr.approvals.map((a) => (
                      <span key={`${a.account.system}:${a.account.username ?? a.account.email}`}>
                        <AccountLink account={a.account} /> {a.approvedAt ? <LocalTime iso={a.approvedAt} /> : null}
                        {a.revokedAt ? (
                          <>
                            {" "}
                            <span className="badge bad">revoked</span> <LocalTime iso={a.revokedAt} />
                          </>
                        ) : null}
                        <br />
                      </span>
                    ))}
              </td>
            </tr>
            <tr>
              <th scope="row">Merged by</th>
              <td>
                <AccountLink account={mr.mergedBy} /> {mr.mergedAt ? <LocalTime iso={mr.mergedAt} /> : null}
              </td>
            </tr>
            <tr>
              <th scope="row">Head commit</th>
              <td className="mono">{sha(mr.headSha)}</td>
            </tr>
            <tr>
              <th scope="row">Merge commit</th>
              <td className="mono">{sha(mr.mergeCommitSha)}</td>
            </tr>
            {mr.squashCommitSha ? (
              <tr>
                <th scope="row">Squash commit</th>
                <td className="mono">{sha(mr.squashCommitSha)}</td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </section>
      <section className="panel" aria-labelledby="commits">
        <h2 id="commits">Commits ({mr.commits.length})</h2>
        {mr.commits.length === 0 ? (
          <p className="empty">GitLab has not sent this merge request&apos;s commits yet.</p>
        ) : (
          <table aria-label="Commits">
            <thead>
              <tr>
                <th scope="col">Commit</th>
                <th scope="col">Title</th>
                <th scope="col">Author</th>
                <th scope="col">When</th>
              </tr>
            </thead>
            <tbody>
              {mr.commits.map((c) => (
                <tr key={c.sha}>
                  <td className="mono">
                    <Link href={entityPaths.commit(c.sha)}>{c.sha.slice(0, 8)}</Link>
                  </td>
                  <td>{c.title ?? "—"}</td>
                  <td>
                    {c.authorName ?? "—"} {c.authorEmail ? <span className="empty">&lt;{c.authorEmail}&gt;</span> : null}
                  </td>
                  <td>{c.committedAt ? <LocalTime iso={c.committedAt} /> : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="panel" aria-labelledby="ci">
        <h2 id="ci">CI</h2>
        <CiRunsTable pipelines={mr.pipelines} builds={mr.builds} empty="No pipeline or build has run this merge request's commits yet." />
      </section>
      <section className="panel" aria-labelledby="deploys">
        <h2 id="deploys">Deploys</h2>
        <DeploymentsTable deployments={mr.deployments} empty={mr.state === "merged" ? "The merge commit has not been deployed yet." : "Not merged, so not deployed."} />
      </section>
      <section className="panel" aria-labelledby="evidence">
        <h2 id="evidence">Evidence ({mr.evidence.length} deliveries)</h2>
        <EvidenceTable evidence={mr.evidence} />
      </section>
      <p>
        <Link href={`/timeline?q=${encodeURIComponent(reference)}`}>Everything about {reference} on the timeline →</Link>
      </p>
    </>
  );
}
