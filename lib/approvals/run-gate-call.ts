import "server-only";
import { db, getPool } from "@/lib/db";
import { getEnv } from "@/lib/env";
import type { TBuildkiteBuild, TBuildkiteClient } from "./create-buildkite-client.ts";
import { describeBuildkiteFailure, type TFailureText } from "./describe-buildkite-failure.ts";
import { getBuildkiteClient } from "./get-buildkite-client.ts";

export type TGateCallResult =
  | { kind: "done"; state: "unblocked" | "canceled"; message: string }
  | { kind: "busy"; message: string }
  | { kind: "closed"; state: "unblocked" | "canceled"; message: string }
  | { kind: "unknown"; message: string }
  | { kind: "failed"; failure: TFailureText };

type TGateRef = { jobId: string; jobExternalId: string; pipeline: string; number: number; label: string | null };
type TActionRow = { kind: string; state: string; decision_id: string; started_at: Date };

const blockedStates = new Set(["blocked", "blocked_failed"]);
const canceledStates = new Set(["canceled", "canceling"]);

/**
 * Claims the gate's one Buildkite call: inserts the action, or re-claims it when the last attempt is
 * known not to have landed (`failed`). Returns the existing row when someone else holds or finished it.
 */
async function claim(jobId: string, kind: string, decisionId: string): Promise<{ claimed: true } | { claimed: false; row: TActionRow | undefined }> {
  // An unblock is never claimed once anyone declined the gate, however the caller got here.
  const { rows } = await getPool().query(
    `INSERT INTO gate_action (build_job_id, kind, state, decision_id, attempts, started_at)
     SELECT $1, $2, 'calling', $3, 1, clock_timestamp()
     WHERE $2 = 'cancel' OR NOT EXISTS (SELECT 1 FROM approval_decision WHERE build_job_id = $1 AND decision = 'decline')
     ON CONFLICT (build_job_id) DO UPDATE SET state = 'calling', kind = EXCLUDED.kind, decision_id = EXCLUDED.decision_id,
       attempts = gate_action.attempts + 1, started_at = clock_timestamp(), finished_at = NULL, message = NULL, response = NULL
       WHERE gate_action.state = 'failed'
     RETURNING build_job_id`,
    [jobId, kind, decisionId],
  );
  if (rows.length) return { claimed: true };
  const existing = await getPool().query<TActionRow>("SELECT kind, state, decision_id, started_at FROM gate_action WHERE build_job_id = $1", [jobId]);
  return { claimed: false, row: existing.rows[0] };
}

async function finish(jobId: string, state: string, message: string, response?: unknown) {
  await db.gateAction.update({ where: { buildJobId: jobId }, data: { state, message, response: response === undefined ? undefined : (response as object), finishedAt: new Date() } });
}

/** What Buildkite's build says about the gate. */
function observe(build: TBuildkiteBuild, jobExternalId: string, ourUnblocker: string | null) {
  const job = build.jobs?.find((j) => j.id === jobExternalId);
  if (!job) return { kind: "missing" as const };
  if (blockedStates.has(job.state ?? "")) return canceledStates.has(build.state ?? "") ? { kind: "canceled" as const } : { kind: "blocked" as const };
  if (canceledStates.has(build.state ?? "") && !job.unblocked_by) return { kind: "canceled" as const };
  const by = job.unblocked_by;
  return by?.id && by.id === ourUnblocker ? { kind: "ours" as const, job } : { kind: "elsewhere" as const, who: by?.name ?? by?.email ?? "someone in Buildkite", job };
}

const targetOf = (gate: TGateRef) => `${gate.pipeline} #${gate.number}${gate.label ? ` (gate "${gate.label}")` : ""}`;

async function settleObserved(gate: TGateRef, seen: ReturnType<typeof observe>, kind: string): Promise<TGateCallResult | null> {
  if (kind === "cancel") return null;
  if (seen.kind === "ours") {
    await finish(gate.jobId, "done", "Unblocked in Buildkite.", seen.job);
    return { kind: "done", state: "unblocked", message: `Unblocked ${targetOf(gate)} in Buildkite.` };
  }
  if (seen.kind === "elsewhere") {
    const message = `${targetOf(gate)} was already unblocked in Buildkite by ${seen.who}, outside Custody.`;
    await finish(gate.jobId, "elsewhere", message, seen.job);
    return { kind: "closed", state: "unblocked", message };
  }
  if (seen.kind === "canceled") {
    const message = `${targetOf(gate)} was canceled in Buildkite meanwhile; there is nothing to unblock.`;
    await finish(gate.jobId, "canceled", message);
    return { kind: "closed", state: "canceled", message };
  }
  return null;
}

/** After an answer that may or may not have landed: read the build; never call unblock again here. */
async function reconcile(client: TBuildkiteClient, org: string, gate: TGateRef, row: { kind: string; unblocker: string | null }): Promise<TGateCallResult> {
  const read = await client.getBuild(gate.pipeline, gate.number);
  if (!read.ok) {
    const message = `Buildkite did not confirm the ${row.kind} of ${targetOf(gate)} and the build could not be read (${read.kind}). The decision is recorded; Custody will read the build again at the next attempt instead of calling twice.`;
    await db.gateAction.update({ where: { buildJobId: gate.jobId }, data: { state: "unknown", message } });
    return { kind: "unknown", message };
  }
  if (row.kind === "cancel") {
    if (canceledStates.has(read.body.state ?? "")) {
      await finish(gate.jobId, "done", "Build canceled.", { state: read.body.state });
      return { kind: "done", state: "canceled", message: `Canceled ${targetOf(gate)} in Buildkite.` };
    }
    const message = `Buildkite did not confirm the cancel, and ${targetOf(gate)} is still ${read.body.state ?? "running"}: nothing was canceled. Decline again to retry.`;
    await finish(gate.jobId, "failed", message);
    return { kind: "failed", failure: { status: 504, title: "Cancel not confirmed", detail: message, headers: { "Retry-After": "30" } } };
  }
  const seen = observe(read.body, gate.jobExternalId, row.unblocker);
  const settled = await settleObserved(gate, seen, row.kind);
  if (settled) return settled;
  const message =
    seen.kind === "missing"
      ? `Buildkite's ${targetOf(gate)} has no job ${gate.jobExternalId}.`
      : `Buildkite did not confirm the unblock, and reading ${targetOf(gate)} shows the gate still closed: nothing was unblocked. Approve again to retry.`;
  await finish(gate.jobId, "failed", message);
  return { kind: "failed", failure: { status: seen.kind === "missing" ? 404 : 504, title: seen.kind === "missing" ? "Not found in Buildkite" : "Unblock not confirmed", detail: message, headers: seen.kind === "missing" ? undefined : { "Retry-After": "30" } } };
}

/**
 * Settles a call whose outcome is unknown (a timeout whose read failed too) by reading the build. Never
 * claims and never calls unblock or cancel, so anyone may trigger it (the approvals list does).
 */
export async function settleUnknownGateCall(gate: TGateRef): Promise<void> {
  const bk = getBuildkiteClient();
  if (!bk.ok) return;
  const { rows } = await getPool().query<TActionRow>("SELECT kind, state, decision_id, started_at FROM gate_action WHERE build_job_id = $1", [gate.jobId]);
  const row = rows[0];
  if (row?.state !== "unknown") return;
  const decision = await db.approvalDecision.findUnique({ where: { id: row.decision_id }, select: { buildkiteUserId: true } });
  await reconcile(bk.client, bk.org, gate, { kind: row.kind, unblocker: decision?.buildkiteUserId ?? null });
}

/**
 * Resolves a gate in Buildkite exactly once: unblock with `unblocker` (the approver's Buildkite user id)
 * and `fields`, or cancel the build on a decline. One gate_action row per gate makes concurrent callers
 * share one call; an answer that may have landed (timeout, network error, 5xx) is settled by reading
 * the build, and only a failure known not to have landed lets a later attempt call again.
 */
export async function runGateCall(gate: TGateRef, input: { kind: "unblock" | "cancel"; decisionId: string; unblocker: string | null; fields?: Record<string, string> }): Promise<TGateCallResult> {
  const bk = getBuildkiteClient();
  if (!bk.ok) return { kind: "failed", failure: { status: 503, title: "Buildkite not configured", detail: bk.detail } };
  const { client, org } = bk;
  const target = targetOf(gate);
  const claimed = await claim(gate.jobId, input.kind, input.decisionId);
  if (!claimed.claimed) {
    const { row } = claimed;
    if (!row) return { kind: "failed", failure: { status: 409, title: "Gate not waiting", detail: `${target} was declined; it is not unblocked.` } };
    if (row.state === "done") return { kind: "done", state: row.kind === "cancel" ? "canceled" : "unblocked", message: row.kind === "cancel" ? `${target} was canceled.` : `${target} is unblocked.` };
    if (row.state === "elsewhere") return { kind: "closed", state: "unblocked", message: `${target} was already unblocked in Buildkite outside Custody.` };
    if (row.state === "canceled") return { kind: "closed", state: "canceled", message: `${target} was canceled in Buildkite; there is nothing to unblock.` };
    const staleAfterMs = (getEnv().BUILDKITE_API_TIMEOUT * 2 + 5) * 1000;
    if (row.state === "calling" && Date.now() - row.started_at.getTime() < staleAfterMs) return { kind: "busy", message: `Custody is asking Buildkite to ${row.kind} ${target} right now.` };
    const decision = await db.approvalDecision.findUnique({ where: { id: row.decision_id }, select: { buildkiteUserId: true } });
    return reconcile(client, org, gate, { kind: row.kind, unblocker: decision?.buildkiteUserId ?? null });
  }

  const fail = async (failure: TFailureText): Promise<TGateCallResult> => {
    await finish(gate.jobId, "failed", failure.detail);
    return { kind: "failed", failure };
  };

  if (input.kind === "cancel") {
    const res = await client.cancelBuild(gate.pipeline, gate.number);
    if (res.ok) {
      await finish(gate.jobId, "done", "Build canceled.", { state: res.body.state });
      return { kind: "done", state: "canceled", message: `Canceled ${target} in Buildkite.` };
    }
    if (["timeout", "network", "server-error", "bad-response"].includes(res.kind)) {
      await db.gateAction.update({ where: { buildJobId: gate.jobId }, data: { state: "unknown" } });
      return reconcile(client, org, gate, { kind: "cancel", unblocker: null });
    }
    return fail(describeBuildkiteFailure(res, { action: "cancel", target, org }));
  }

  // Read first: a gate unblocked elsewhere or a build canceled meanwhile needs no call at all.
  const before = await client.getBuild(gate.pipeline, gate.number);
  if (!before.ok) return fail(describeBuildkiteFailure(before, { action: "read", target, org }));
  const seen = observe(before.body, gate.jobExternalId, null);
  if (seen.kind === "missing") return fail({ status: 404, title: "Not found in Buildkite", detail: `Buildkite's ${target} has no job ${gate.jobExternalId}; the build may have been rebuilt.` });
  const settled = await settleObserved(gate, seen, "unblock");
  if (settled) return settled;

  const res = await client.unblockJob(gate.pipeline, gate.number, gate.jobExternalId, { unblocker: input.unblocker!, ...(input.fields && Object.keys(input.fields).length ? { fields: input.fields } : {}) });
  if (res.ok) {
    await finish(gate.jobId, "done", "Unblocked in Buildkite.", { id: res.body.id, state: res.body.state, unblocked_by: res.body.unblocked_by, unblocked_at: res.body.unblocked_at });
    return { kind: "done", state: "unblocked", message: `Unblocked ${target} in Buildkite.` };
  }
  if (["timeout", "network", "server-error", "bad-response"].includes(res.kind)) {
    await db.gateAction.update({ where: { buildJobId: gate.jobId }, data: { state: "unknown" } });
    return reconcile(client, org, gate, { kind: "unblock", unblocker: input.unblocker });
  }
  if (res.kind === "not-unblockable" || res.kind === "unprocessable" || res.kind === "build-canceled") {
    // Buildkite does not document "already unblocked"; read the build to say what really happened.
    const after = await client.getBuild(gate.pipeline, gate.number);
    if (after.ok) {
      const again = await settleObserved(gate, observe(after.body, gate.jobExternalId, input.unblocker), "unblock");
      if (again) return again;
    }
  }
  return fail(describeBuildkiteFailure(res, { action: "unblock", target, org, buildkiteUserId: input.unblocker }));
}
