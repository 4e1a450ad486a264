import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ChainGraph } from "@/components/chain-graph";
import { LiveRefresh } from "@/components/live-refresh";
import { LocalTime } from "@/components/local-time";
import { PageHeader } from "@/components/page-header";
import { StatusBadge } from "@/components/status-badge";
import { findGateDecisions } from "@/lib/approvals/find-gate-decisions";
import { getDeployReceipt } from "@/lib/domain/get-deploy-receipt";
import { entityPaths } from "@/lib/shared/entity-paths";
import { EvidenceTable } from "@/components/provenance/evidence-table";

export const metadata: Metadata = { title: "Deploy receipt" };
export const dynamic = "force-dynamic";

const who = (u: { username: string | null; name?: string | null } | null | undefined) => u?.username ?? u?.name ?? "unknown";

/** A GitLab user named on the receipt, linked to their person (or their activity). */
function GitLabUser({ user }: { user: { username: string | null; name?: string | null } | null | undefined }) {
  return user?.username ? <Link href={entityPaths.account("gitlab", user.username)}>{user.username}</Link> : <>{who(user)}</>;
}

export default async function ReceiptPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const receipt = await getDeployReceipt(id);
  if (!receipt) notFound();
  const gateDecisions = await findGateDecisions(receipt.builds.map((b) => ({ pipeline: b.pipeline, number: b.number })));
  const mr = receipt.mergeRequests[0];
  const gates = receipt.builds.flatMap((b) => b.gates);
  const steps = [
    { label: "Change", detail: mr ? `!${mr.iid} by ${who(mr.author)}` : "no merge request found", ok: mr ? mr.state === "merged" : false },
    { label: "Approvals", detail: mr ? `${mr.approvers.length}: ${mr.approvers.map((a) => a.username).join(", ") || "none"}` : "—", ok: mr ? mr.approvers.length > 0 : null },
    { label: "CI", detail: receipt.pipelines.map((p) => `#${p.id} ${p.status ?? ""}`).join(", ") || "no pipeline", ok: receipt.pipelines.length ? receipt.pipelines.every((p) => p.status === "success") : null },
    { label: "Gate", detail: gates.length ? gates.map((g) => g.unblockedBy?.name ?? g.state ?? "waiting").join(", ") : "no gate", ok: gates.length ? gates.every((g) => g.unblockedBy) : null },
    { label: `Deploy: ${receipt.environment}`, detail: receipt.status ?? "unknown", ok: receipt.status === "success" },
  ];
  return (
    <>
      <PageHeader
        title={`Deploy to ${receipt.environment}`}
        lede={
          <>
            {receipt.project ?? "unknown project"} · commit{" "}
            <span className="mono">{receipt.commitSha ? <Link href={entityPaths.commit(receipt.commitSha)}>{receipt.commitSha}</Link> : "unknown"}</span> ·{" "}
            <StatusBadge value={receipt.status} /> · <LocalTime iso={receipt.occurredAt} /> · triggered by <GitLabUser user={receipt.triggeredBy} />
          </>
        }
      />
      <p className="actions" aria-label="Export">
        <a className="button" href={`/api/v1/deployments/${receipt.id}?format=pdf`} download>
          Download PDF
        </a>
        <a className="button" href={`/api/v1/deployments/${receipt.id}?format=json`} download>
          Download JSON
        </a>
      </p>
      <LiveRefresh />
      <section className="panel" aria-label="Chain">
        <ChainGraph steps={steps} />
      </section>
      <section className="panel" aria-labelledby="findings">
        <h2 id="findings">Findings</h2>
        {receipt.findings.length === 0 ? (
          <p className="empty">No findings: reviewed, approved, merged, CI green, gate opened by someone other than the authors.</p>
        ) : (
          <ul className="findings">
            {receipt.findings.map((f) => (
              <li key={`${f.code}:${f.message}`} className={f.severity}>
                <strong>{f.code.replaceAll("_", " ")}</strong> — {f.message}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="panel" aria-labelledby="change">
        <h2 id="change">Change</h2>
        {receipt.mergeRequests.length === 0 ? (
          <p className="empty">No merge request is linked to this commit yet.</p>
        ) : (
          receipt.mergeRequests.map((m) => (
            <div key={`${m.project}!${m.iid}`}>
              <p>
                {m.project ? <Link href={entityPaths.mergeRequest(m.project, m.iid)}>{`${m.project}!${m.iid}`}</Link> : `!${m.iid}`} — {m.title}{" "}
                <StatusBadge value={m.state} /> <span className="empty">(linked by {m.linkedBy})</span>
                {m.url ? (
                  <>
                    {" "}
                    · <a href={m.url}>GitLab</a>
                  </>
                ) : null}
              </p>
              <table>
                <tbody>
                  <tr>
                    <th>Author</th>
                    <td>
                      <GitLabUser user={m.author} />
                    </td>
                  </tr>
                  <tr>
                    <th>Approvers</th>
                    <td>
                      {m.approvers.length
                        ? m.approvers.map((a) => (
                            <span key={a.username ?? ""}>
                              <GitLabUser user={a} /> {a.approvedAt ? <LocalTime iso={a.approvedAt} /> : null}
                              <br />
                            </span>
                          ))
                        : "none"}
                    </td>
                  </tr>
                  <tr>
                    <th>Merged by</th>
                    <td>
                      <GitLabUser user={m.mergedBy} /> {m.mergedAt ? <LocalTime iso={m.mergedAt} /> : null}
                    </td>
                  </tr>
                  <tr>
                    <th>Commits</th>
                    <td className="mono">
                      {m.commits.length
                        ? m.commits.map((c, i) => (
                            <span key={c}>
                              {i ? ", " : ""}
                              <Link href={entityPaths.commit(c)}>{c.slice(0, 12)}</Link>
                            </span>
                          ))
                        : "—"}
                    </td>
                  </tr>
                </tbody>
              </table>
            </div>
          ))
        )}
      </section>
      <section className="panel" aria-labelledby="ci">
        <h2 id="ci">CI</h2>
        <table>
          <thead>
            <tr>
              <th>Pipeline / build</th>
              <th>Status</th>
              <th>Ref</th>
              <th>Triggered by</th>
              <th>Linked by</th>
            </tr>
          </thead>
          <tbody>
            {receipt.pipelines.map((p) => (
              <tr key={`p${p.id}`}>
                <td>{p.project ?? receipt.project ? <Link href={entityPaths.pipeline((p.project ?? receipt.project)!, p.id)}>GitLab #{p.id}</Link> : `GitLab #${p.id}`}</td>
                <td>
                  <StatusBadge value={p.status} />
                </td>
                <td>{p.ref}</td>
                <td>
                  <GitLabUser user={p.triggeredBy} />
                </td>
                <td>{p.linkedBy}</td>
              </tr>
            ))}
            {receipt.builds.map((b) => (
              <tr key={`b${b.pipeline}${b.number}`}>
                <td>
                  <Link href={entityPaths.build(b.pipeline, b.number)}>{`${b.pipeline} #${b.number}`}</Link>
                </td>
                <td>
                  <StatusBadge value={b.state} />
                </td>
                <td>—</td>
                <td>{b.creator?.name ?? "—"}</td>
                <td>{b.linkedBy}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="panel" aria-labelledby="gates">
        <h2 id="gates">Gates</h2>
        {gates.length === 0 ? (
          <p className="empty">No block steps in the linked builds.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>Gate</th>
                <th>State</th>
                <th>Unblocked by</th>
                <th>When</th>
              </tr>
            </thead>
            <tbody>
              {receipt.builds.flatMap((b) => b.gates.map((g) => ({ ...g, build: b }))).map((g, i) => (
                <tr key={i}>
                  <td>
                    {g.label} <span className="empty">in</span> <Link href={entityPaths.build(g.build.pipeline, g.build.number)}>{`${g.build.pipeline} #${g.build.number}`}</Link>
                  </td>
                  <td>
                    <StatusBadge value={g.state} />
                  </td>
                  <td>
                    {g.unblockedBy ? (
                      <>
                        <Link href={entityPaths.account("buildkite", g.unblockedBy.email ?? g.unblockedBy.name ?? "")}>{g.unblockedBy.name ?? g.unblockedBy.email}</Link>{" "}
                        <span className="empty">&lt;{g.unblockedBy.email ?? "no email"}&gt;</span>
                      </>
                    ) : (
                      "—"
                    )}
                  </td>
                  <td>{g.unblockedAt ? <LocalTime iso={g.unblockedAt} /> : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="panel" aria-labelledby="gate-decisions">
        <h2 id="gate-decisions">Gate decisions in Custody</h2>
        {gateDecisions.length === 0 ? (
          <p className="empty">No gate of these builds was approved or declined through Custody.</p>
        ) : (
          <table aria-label="Gate decisions">
            <thead>
              <tr>
                <th scope="col">Gate</th>
                <th scope="col">Decision</th>
                <th scope="col">By</th>
                <th scope="col">When</th>
                <th scope="col">Policy result</th>
              </tr>
            </thead>
            <tbody>
              {gateDecisions.flatMap((g) => [
                ...g.decisions.map((d) => (
                  <tr key={d.id}>
                    <td>{g.gate}</td>
                    <td>
                      {d.decision === "approve" ? "approved" : "declined"}
                      {d.reason ? ` — ${d.reason}` : ""}
                    </td>
                    <td>
                      {d.by}
                      {d.buildkiteUserId ? <span className="mono empty"> (Buildkite {d.buildkiteUserId})</span> : null}
                    </td>
                    <td>
                      <LocalTime iso={d.at} />
                    </td>
                    <td>
                      {d.allowed ? "allowed" : "refused"} by {d.policySource}
                    </td>
                  </tr>
                )),
                ...(g.action
                  ? [
                      <tr key={`${g.gate}-action`}>
                        <td>{g.gate}</td>
                        <td colSpan={4}>
                          Buildkite {g.action.kind}: <StatusBadge value={g.action.state} /> {g.action.message ?? ""} ({g.action.attempts} attempt{g.action.attempts === 1 ? "" : "s"})
                        </td>
                      </tr>,
                    ]
                  : []),
              ])}
            </tbody>
          </table>
        )}
      </section>
      <section className="panel" aria-labelledby="credentials">
        <h2 id="credentials">Credentials</h2>
        {receipt.credentials.length === 0 ? (
          <p className="empty">No short-lived credentials were reported for the jobs behind this deploy.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>Kind</th>
                <th>Subject</th>
                <th>Audience</th>
                <th>Lifetime</th>
                <th>Job</th>
                <th>Role session</th>
              </tr>
            </thead>
            <tbody>
              {receipt.credentials.map((c, i) => (
                <tr key={i}>
                  <td>{c.kind}</td>
                  <td className="mono">{c.subject}</td>
                  <td>{c.audience ?? "—"}</td>
                  <td>
                    {c.issuedAt ? <LocalTime iso={c.issuedAt} /> : "?"} → {c.expiresAt ? <LocalTime iso={c.expiresAt} /> : "?"}
                    {c.lifetimeSeconds !== null ? ` (${c.lifetimeSeconds} s)` : ""}
                  </td>
                  <td className="mono">{c.jobId ?? "none"}</td>
                  <td>
                    {c.roleSession ? (
                      <>
                        {c.roleSession.roleArn} <span className="mono">{c.roleSession.sessionName}</span> from {c.roleSession.sourceIp ?? "?"}
                      </>
                    ) : (
                      "—"
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="panel" aria-labelledby="evidence">
        <h2 id="evidence">Evidence ({receipt.evidence.length} deliveries)</h2>
        <EvidenceTable evidence={receipt.evidence} />
      </section>
      <p>
        <Link href="/deploys">← All deploys</Link>
      </p>
    </>
  );
}
