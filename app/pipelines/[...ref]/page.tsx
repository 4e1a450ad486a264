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
import { LinkedMergeRequests } from "@/components/provenance/linked-merge-requests";
import { StatusBadge } from "@/components/status-badge";
import { getPipeline } from "@/lib/domain/get-pipeline";
import { entityPaths } from "@/lib/shared/entity-paths";
import { parseProjectRef } from "@/lib/shared/parse-project-ref";

export const metadata: Metadata = { title: "Pipeline" };
export const dynamic = "force-dynamic";

export default async function PipelinePage({ params }: { params: Promise<{ ref: string[] }> }) {
  const ref = parseProjectRef((await params).ref);
  const pipeline = ref ? await getPipeline(ref.project, ref.number) : null;
  if (!pipeline) notFound();
  return (
    <>
      <PageHeader
        title={`Pipeline #${pipeline.id}`}
        lede={
          <>
            {pipeline.project} · <StatusBadge value={pipeline.status} /> · <span className="mono">{pipeline.ref ?? "?"}</span> at{" "}
            <span className="mono">{pipeline.sha ? <Link href={entityPaths.commit(pipeline.sha)}>{pipeline.sha.slice(0, 8)}</Link> : "?"}</span> · {pipeline.source ?? "unknown source"}
            {pipeline.url ? (
              <>
                {" "}
                · <a href={pipeline.url}>Open in GitLab</a>
              </>
            ) : null}{" "}
            · <a href={`/api/v1/pipelines/${pipeline.project}/${pipeline.id}`}>JSON</a>
          </>
        }
      />
      <LiveRefresh />
      <section className="panel" aria-labelledby="run">
        <h2 id="run">Run</h2>
        <table aria-label="Run">
          <tbody>
            <tr>
              <th scope="row">Triggered by</th>
              <td>
                <AccountLink account={pipeline.triggeredBy} withEmail />
              </td>
            </tr>
            <tr>
              <th scope="row">Created</th>
              <td>{pipeline.createdAt ? <LocalTime iso={pipeline.createdAt} /> : "—"}</td>
            </tr>
            <tr>
              <th scope="row">Finished</th>
              <td>{pipeline.finishedAt ? <LocalTime iso={pipeline.finishedAt} /> : "—"}</td>
            </tr>
            <tr>
              <th scope="row">Merge requests</th>
              <td>
                <LinkedMergeRequests mergeRequests={pipeline.mergeRequests} empty="none found for this commit" />
              </td>
            </tr>
          </tbody>
        </table>
      </section>
      <section className="panel" aria-labelledby="jobs">
        <h2 id="jobs">Jobs ({pipeline.jobs.length})</h2>
        {pipeline.jobs.length === 0 ? (
          <p className="empty">GitLab has not sent job events for this pipeline yet.</p>
        ) : (
          <table aria-label="Jobs">
            <thead>
              <tr>
                <th scope="col">Job</th>
                <th scope="col">Stage</th>
                <th scope="col">Status</th>
                <th scope="col">Environment</th>
                <th scope="col">Run by</th>
                <th scope="col">Started</th>
                <th scope="col">Finished</th>
              </tr>
            </thead>
            <tbody>
              {pipeline.jobs.map((j) => (
                <tr key={j.id} id={`job-${j.id}`}>
                  <td>
                    {j.name ?? "?"} <span className="mono empty">#{j.id}</span>
                  </td>
                  <td>{j.stage ?? "—"}</td>
                  <td>
                    <StatusBadge value={j.status} />
                  </td>
                  <td>{j.environment ?? "—"}</td>
                  <td>
                    <AccountLink account={j.user} />
                  </td>
                  <td>{j.startedAt ? <LocalTime iso={j.startedAt} /> : "—"}</td>
                  <td>{j.finishedAt ? <LocalTime iso={j.finishedAt} /> : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="panel" aria-labelledby="builds">
        <h2 id="builds">Buildkite builds started by this pipeline</h2>
        <CiRunsTable pipelines={[]} builds={pipeline.builds} empty="No Buildkite build names this pipeline (GITLAB_PIPELINE_ID)." />
      </section>
      <section className="panel" aria-labelledby="deploys">
        <h2 id="deploys">Deploys</h2>
        <DeploymentsTable deployments={pipeline.deployments} empty="Neither this pipeline nor a build it started deployed anything." />
      </section>
      <section className="panel" aria-labelledby="evidence">
        <h2 id="evidence">Evidence ({pipeline.evidence.length} deliveries)</h2>
        <EvidenceTable evidence={pipeline.evidence} />
      </section>
    </>
  );
}
