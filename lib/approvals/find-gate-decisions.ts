import "server-only";
import { db } from "@/lib/db";
import type { TGateAction, TGateDecision } from "@/lib/contracts/approvals";
import { toGateDecision } from "./to-gate-decision.ts";

export type TReceiptGateDecisions = { gate: string; decisions: (TGateDecision & { verdict: unknown; policy: unknown })[]; action: TGateAction | null }[];

/**
 * Custody's approval decisions on the gates of the given Buildkite builds, with the policy and verdict
 * stored with each, and Buildkite's call (for the deploy receipt).
 */
export async function findGateDecisions(builds: { pipeline: string; number: number }[]): Promise<TReceiptGateDecisions> {
  if (builds.length === 0) return [];
  const jobs = await db.buildJob.findMany({
    where: { type: "manual", build: { OR: builds.map((b) => ({ pipelineSlug: b.pipeline, number: b.number })) }, OR: [{ decisions: { some: {} } }, { gateAction: { isNot: null } }] },
    include: { build: true, decisions: { orderBy: [{ decidedAt: "asc" }, { id: "asc" }] }, gateAction: true },
    orderBy: [{ build: { number: "asc" } }, { id: "asc" }],
  });
  return jobs.map((j) => ({
    gate: `${j.build.pipelineSlug} #${j.build.number}${j.label ? ` ${j.label}` : ""}`,
    decisions: j.decisions.map((d) => ({ ...toGateDecision(d), verdict: d.verdict, policy: d.policy })),
    action: j.gateAction ? { kind: j.gateAction.kind === "cancel" ? "cancel" : "unblock", state: j.gateAction.state, message: j.gateAction.message, attempts: j.gateAction.attempts, at: j.gateAction.startedAt.toISOString() } : null,
  }));
}
