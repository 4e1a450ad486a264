"use client";

import { useState } from "react";
import type { TWaitingGate } from "@/lib/contracts/approvals";
import { useApprovals } from "@/lib/client/use-approvals";
import { useHydrated } from "@/lib/client/use-hydrated";
import { LocalTime } from "@/components/local-time";
import { StatusBadge } from "@/components/status-badge";

const short = (sha: string | null) => (sha ? sha.slice(0, 8) : "—");

/** One waiting gate: the change behind it, the policy verdict for the viewer, then the buttons. */
function GateCard({ gate, canAct }: { gate: TWaitingGate; canAct: boolean }) {
  const hydrated = useHydrated();
  const { approve, decline } = useApprovals();
  const [reason, setReason] = useState("");
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const title = `${gate.pipeline} #${gate.buildNumber}${gate.label ? ` — ${gate.label}` : ""}`;
  const pending = approve.isPending || decline.isPending;
  const { verdict } = gate;
  const failing = verdict.checks.filter((c) => !c.ok);
  return (
    <section className="panel" aria-label={`Gate ${title}`}>
      <h2>
        {gate.buildUrl ? <a href={gate.buildUrl}>{title}</a> : title} {gate.environment ? <span className="badge warn">deploys to {gate.environment}</span> : null}
      </h2>
      <p className="empty">
        Branch {gate.branch ?? "?"} · commit <span className="mono">{short(gate.commitSha)}</span> · waiting since {gate.waitingSince ? <LocalTime iso={gate.waitingSince} /> : "unknown"}
        {gate.expiresAt ? (
          <>
            {" "}
            · expires <LocalTime iso={gate.expiresAt} />
          </>
        ) : null}{" "}
        · build triggered by {gate.triggeredBy.join(", ") || "unknown"}
      </p>
      <table aria-label="Change">
        <tbody>
          <tr>
            <th scope="row">Merge request</th>
            <td>
              {gate.mergeRequests.length === 0
                ? "none linked"
                : gate.mergeRequests.map((m) => (
                    <div key={`${m.project}!${m.iid}`}>
                      {m.url ? <a href={m.url}>{`${m.project}!${m.iid}`}</a> : `${m.project}!${m.iid}`} {m.title} <StatusBadge value={m.state} /> — author {m.author ?? "unknown"}, approved by{" "}
                      {m.approvers.join(", ") || "nobody"}
                    </div>
                  ))}
            </td>
          </tr>
          <tr>
            <th scope="row">Commits</th>
            <td>
              {gate.commits.length === 0
                ? "—"
                : gate.commits.map((c) => (
                    <div key={c.sha}>
                      <span className="mono">{short(c.sha)}</span> {c.title ?? ""} ({c.author ?? "unknown"})
                    </div>
                  ))}
            </td>
          </tr>
          <tr>
            <th scope="row">Pipelines and tests</th>
            <td>
              {gate.pipelines.length === 0
                ? "no GitLab pipeline linked"
                : gate.pipelines.map((p) => (
                    <div key={p.id}>
                      {p.url ? <a href={p.url}>GitLab #{p.id}</a> : `GitLab #${p.id}`} <StatusBadge value={p.status} />{" "}
                      {p.jobs.map((j) => `${j.name ?? "job"}: ${j.status ?? "?"}`).join(", ")}
                    </div>
                  ))}
            </td>
          </tr>
          <tr>
            <th scope="row">Earlier deploys</th>
            <td>
              {gate.earlierDeploys.length === 0
                ? "none"
                : gate.earlierDeploys.map((d) => (
                    <div key={d.id}>
                      <a href={`/deploys/${d.id}`}>{d.environment}</a> <StatusBadge value={d.status} /> <span className="mono">{short(d.commitSha)}</span> <LocalTime iso={d.occurredAt} /> by {d.by ?? "unknown"}
                    </div>
                  ))}
            </td>
          </tr>
          <tr>
            <th scope="row">Decisions</th>
            <td>
              {gate.decisions.length === 0
                ? "none yet"
                : gate.decisions.map((d) => (
                    <div key={d.id}>
                      {d.decision === "approve" ? "Approved" : "Declined"} by {d.by} <LocalTime iso={d.at} />
                      {d.reason ? ` — ${d.reason}` : ""}
                    </div>
                  ))}
              {gate.action ? (
                <div>
                  Buildkite {gate.action.kind}: <StatusBadge value={gate.action.state} /> {gate.action.message ?? ""}
                </div>
              ) : null}
            </td>
          </tr>
        </tbody>
      </table>
      <div role="region" aria-label="Policy verdict">
        <p>
          <strong>{verdict.allowed ? "You may approve." : "You may not approve."}</strong> Policy: {gate.policy.source}; {verdict.approvalsRequired} approval
          {verdict.approvalsRequired === 1 ? "" : "s"} needed, {verdict.approvalsSoFar} by others so far
          {verdict.allowed ? (verdict.opensGate ? "; your approval opens the gate." : "; your approval will be recorded and another approver is still needed.") : "."}
        </p>
        <ul className="findings">
          {(failing.length ? failing : verdict.checks).map((c) => (
            <li key={c.rule} className={c.ok ? undefined : "high"}>
              {c.ok ? "✓" : "✗"} {c.message}
            </li>
          ))}
        </ul>
      </div>
      {canAct ? (
        <form
          className="form-row"
          aria-label={`Decide ${title}`}
          onSubmit={(event) => event.preventDefault()}
        >
          <button
            type="button"
            disabled={!hydrated || pending || !verdict.allowed}
            onClick={() =>
              approve.mutate(
                { gateId: gate.id },
                { onSuccess: (r) => setResult({ ok: true, text: r.message }), onError: (e) => setResult({ ok: false, text: e.message }) },
              )
            }
          >
            Approve
          </button>
          <input value={reason} onChange={(e) => setReason(e.target.value)} placeholder="reason to decline" aria-label="Reason to decline" maxLength={1000} />
          <button
            type="button"
            disabled={!hydrated || pending || reason.trim().length < 3}
            onClick={() =>
              decline.mutate(
                { gateId: gate.id, reason: reason.trim() },
                { onSuccess: (r) => setResult({ ok: true, text: r.message }), onError: (e) => setResult({ ok: false, text: e.message }) },
              )
            }
          >
            Decline
          </button>
        </form>
      ) : null}
      {result ? (
        <p role={result.ok ? "status" : "alert"} className={result.ok ? undefined : "error"}>
          {result.text}
        </p>
      ) : null}
    </section>
  );
}

/** Every build waiting at a Buildkite block step, newest first. */
export function ApprovalsBoard({ canAct }: { canAct: boolean }) {
  const { gates } = useApprovals();
  if (gates.isPending) return <p className="empty" role="status">Loading waiting gates…</p>;
  if (gates.isError)
    return (
      <p role="alert" className="error">
        Could not load waiting gates: {gates.error.message}
      </p>
    );
  const { items, problem } = gates.data;
  return (
    <>
      {problem ? (
        <p role="alert" className="error">
          {problem}
        </p>
      ) : null}
      {!canAct ? <p className="empty">You can see waiting gates; approving needs the approver role.</p> : null}
      {items.length === 0 ? (
        <section className="panel">
          <p className="empty">No build is waiting at a block step. Gates appear here when Buildkite reports a blocked build.</p>
        </section>
      ) : (
        items.map((gate) => <GateCard key={gate.id} gate={gate} canAct={canAct} />)
      )}
    </>
  );
}
