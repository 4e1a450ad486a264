import "server-only";
import { db, getPool } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { safePolicyDefaults } from "@/lib/contracts/approval-policy";
import { processDelivery } from "@/lib/ingest/process/process-delivery";
import { recordDelivery, sha256Hex } from "@/lib/ingest/record-delivery";
import { logEvent } from "@/lib/shared/log-event";
import type { TBuildkiteClient } from "./create-buildkite-client.ts";

/** Builds read per listing at most (Buildkite allows 200 requests a minute per organization). */
const MAX_READS = 10;
/** A build is read at most this often while its block step stays unknown. */
const RECENT_MS = 2 * 60_000;

/**
 * Buildkite's webhooks say a build is blocked (`build.finished` with `blocked: true`) but never announce
 * the block step itself until it is unblocked. For blocked builds whose block step Custody does not know
 * yet, read the build from the REST API, store the answer as evidence (a delivery with origin `api`,
 * event `api.build`) and fold it now, so the gate can be listed. Failures are logged and reported, not
 * thrown: the page still shows what is known.
 */
export async function reconcileBlockedBuilds(client: TBuildkiteClient, org: string): Promise<string | null> {
  // Builds blocked longer than the longest gate age any policy allows cannot be approved: not read.
  const { config } = getEnv().CUSTODY_APPROVAL_POLICY;
  const ages = [config.defaults.maxGateAge ?? safePolicyDefaults.maxGateAgeSeconds, ...config.rules.map((r) => r.maxGateAge ?? 0)];
  const lookbackMs = Math.max(...ages) * 1000;
  const builds = await db.build.findMany({
    where: {
      blocked: true,
      state: { notIn: ["canceled", "canceling", "failed"] },
      OR: [{ finishedAt: { gte: new Date(Date.now() - lookbackMs) } }, { finishedAt: null }],
      jobs: { none: { type: "manual" } },
    },
    orderBy: [{ finishedAt: { sort: "desc", nulls: "last" } }, { id: "asc" }],
    take: MAX_READS,
  });
  let problem: string | null = null;
  for (const build of builds) {
    if (build.organization && build.organization !== org) continue;
    const requestUrl = `/v2/organizations/${org}/pipelines/${build.pipelineSlug}/builds/${build.number}`;
    // A build read moments ago that still shows no block step is not read again on every refresh.
    const recent = await db.delivery.findFirst({ where: { source: "buildkite", eventType: "api.build", requestUrl, receivedAt: { gte: new Date(Date.now() - RECENT_MS) } }, select: { id: true } });
    if (recent) continue;
    const read = await client.getBuild(build.pipelineSlug, build.number);
    if (!read.ok) {
      problem = `Could not read ${build.pipelineSlug} #${build.number} from Buildkite to find its gate (${read.kind}${read.status ? ` ${read.status}` : ""}).`;
      logEvent("warn", "approvals.reconcile_failed", { pipeline: build.pipelineSlug, number: build.number, kind: read.kind, status: read.status ?? undefined });
      // Whatever would fail the next read too ends this pass, so a Buildkite outage cannot stall the list.
      if (read.kind !== "not-found") break;
      continue;
    }
    const body = Buffer.from(JSON.stringify(read.body));
    const stored = await recordDelivery(getPool(), {
      source: "buildkite",
      origin: "api",
      eventType: "api.build",
      dedupeKey: `api.build:${sha256Hex(body)}`,
      body,
      headers: {},
      verifyMethod: "api",
      verifyResult: "fetched with BUILDKITE_API_TOKEN",
      requestUrl,
    });
    if (stored.id) await processDelivery(getPool(), stored.id);
  }
  return problem;
}
