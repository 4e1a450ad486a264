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
import { getBuild } from "@/lib/domain/get-build";
import { entityPaths } from "@/lib/shared/entity-paths";

export const metadata: Metadata = { title: "Build" };
export const dynamic = "force-dynamic";

export default async function BuildPage({ params }: { params: Promise<{ pipeline: string; number: string }> }) {
  const { pipeline: slug, number } = await params;
  const build = /^[0-9]{1,9}$/.test(number) ? await getBuild(slug, Number(number)) : null;
  if (!build) notFound();
  const gates = build.jobs.filter((j) => j.type === "manual");
  const steps = build.jobs.filter((j) => j.type !== "manual");
  return (
    <>
      <PageHeader
        title={`${build.pipeline} #${build.number}`}
        lede={
          <>
            Buildkite{build.organization ? ` ${build.organization}` : ""} · <StatusBadge value={build.state} />
            {build.blocked ? (
              <>
                {" "}
                <span className="badge warn">blocked</span>
              </>
            ) : null}{" "}
            · <span className="mono">{build.branch ?? "?"}</span> at{" "}
            <span className="mono">{build.commitSha ? <Link href={entityPaths.commit(build.commitSha)}>{build.commitSha.slice(0, 8)}</Link> : "?"}</span>
            {build.url ? (
              <>
                {" "}
                · <a href={build.url}>Open in Buildkite</a>
              </>
            ) : null}{" "}
            · <a href={`/api/v1/builds/${encodeURIComponent(build.pipeline)}/${build.number}`}>JSON</a>
            {build.commitSha ? (
              <>
                {" "}
                · <a href={`/api/v1/builds/${encodeURIComponent(build.pipeline)}/${build.number}/provenance`}>Provenance (in-toto / SLSA)</a>
              </>
            ) : null}
          </>
        }
      />
      <LiveRefresh />
      <section className="panel" aria-labelledby="run">
        <h2 id="run">Run</h2>
        <table aria-label="Run">
          <tbody>
            <tr>
              <th scope="row">Message</th>
              <td>{build.message ?? "—"}</td>
            </tr>
            <tr>
              <th scope="row">Created by</th>
              <td>
                <AccountLink account={build.creator} withEmail /> {build.source ? <span className="empty">(source: {build.source})</span> : null}
              </td>
            </tr>
            <tr>
              <th scope="row">Commit author</th>
              <td>{build.author ? `${build.author.name ?? ""} <${build.author.email ?? "no email"}>` : "—"}</td>
            </tr>
            <tr>
              <th scope="row">Created</th>
              <td>{build.createdAt ? <LocalTime iso={build.createdAt} /> : "—"}</td>
            </tr>
            <tr>
              <th scope="row">Finished</th>
              <td>{build.finishedAt ? <LocalTime iso={build.finishedAt} /> : "—"}</td>
            </tr>
            <tr>
              <th scope="row">Merge requests</th>
              <td>
                <LinkedMergeRequests mergeRequests={build.mergeRequests} empty="none found" />
              </td>
            </tr>
          </tbody>
        </table>
      </section>
      <section className="panel" aria-labelledby="gates">
        <h2 id="gates">Gates</h2>
        {gates.length === 0 ? (
          <p className="empty">This build has no block steps.</p>
        ) : (
          <table aria-label="Gates">
            <thead>
              <tr>
                <th scope="col">Gate</th>
                <th scope="col">State</th>
                <th scope="col">Unblocked by</th>
                <th scope="col">When</th>
              </tr>
            </thead>
            <tbody>
              {gates.map((g) => (
                <tr key={g.id}>
                  <td>{g.label ?? g.stepKey ?? g.id}</td>
                  <td>
                    <StatusBadge value={g.state} />
                  </td>
                  <td>{g.unblockedBy ? <AccountLink account={g.unblockedBy} withEmail /> : "waiting"}</td>
                  <td>{g.unblockedAt ? <LocalTime iso={g.unblockedAt} /> : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="panel" aria-labelledby="jobs">
        <h2 id="jobs">Jobs ({steps.length})</h2>
        {steps.length === 0 ? (
          <p className="empty">Buildkite has not sent job events for this build yet.</p>
        ) : (
          <table aria-label="Jobs">
            <thead>
              <tr>
                <th scope="col">Step</th>
                <th scope="col">State</th>
                <th scope="col">Environment</th>
                <th scope="col">Agent</th>
                <th scope="col">Exit</th>
                <th scope="col">Started</th>
                <th scope="col">Finished</th>
              </tr>
            </thead>
            <tbody>
              {steps.map((j) => (
                <tr key={j.id}>
                  <td>{j.label ?? j.stepKey ?? j.type ?? j.id}</td>
                  <td>
                    <StatusBadge value={j.state} />
                  </td>
                  <td>{j.environment ?? "—"}</td>
                  <td>{j.agentName ?? "—"}</td>
                  <td>{j.exitStatus ?? "—"}</td>
                  <td>{j.startedAt ? <LocalTime iso={j.startedAt} /> : "—"}</td>
                  <td>{j.finishedAt ? <LocalTime iso={j.finishedAt} /> : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="panel" aria-labelledby="gitlab">
        <h2 id="gitlab">GitLab pipelines</h2>
        <CiRunsTable pipelines={build.pipelines} builds={[]} empty="No GitLab pipeline is named by this build or ran its commit." />
      </section>
      <section className="panel" aria-labelledby="deploys">
        <h2 id="deploys">Deploys</h2>
        <DeploymentsTable deployments={build.deployments} empty="This build has not deployed anything." />
      </section>
      <section className="panel" aria-labelledby="evidence">
        <h2 id="evidence">Evidence ({build.evidence.length} deliveries)</h2>
        <EvidenceTable evidence={build.evidence} />
      </section>
    </>
  );
}
