import { keys } from "../keys.ts";
import { compact, date, id, int, latest, obj, str } from "../fields.ts";
import { stateRank } from "../state-rank.ts";
import type { TFact, TNormalized, TTimelineItem } from "../types.ts";
import { buildFact, buildTime, buildkiteUserFact, deployEnvironment, metaData } from "./common.ts";

const used = new Set([
  "build.scheduled",
  "build.running",
  "build.failing",
  "build.finished",
  "build.skipped",
  "job.scheduled",
  "job.started",
  "job.finished",
  "job.activated",
  "api.build",
  "api.job",
  "api.build.full",
]);

/**
 * Buildkite webhook → builds, jobs (block steps and who unblocked them) and deploy jobs. Also `api.build`:
 * a REST `GET build` response Custody fetched (webhooks never announce a block step until it is
 * unblocked, so waiting gates are read from the API); it contributes its block-step jobs only.
 * And `api.build.full`: a build backfill or reconciliation read from `GET builds` (jobs included); it
 * gives exactly what the build.* and job.* webhooks of its final state would (waiter jobs, which have
 * no webhooks, are skipped), without timeline entries.
 */
export function normalizeBuildkiteDelivery(eventType: string, json: unknown, fallbackAt: string): TNormalized {
  const body = obj(json);
  if (!body) return { status: "invalid", error: "body is not a JSON object" };
  if (eventType === "ping" || eventType.startsWith("agent.") || eventType.startsWith("cluster_token.")) {
    const agent = obj(body.agent);
    return {
      status: "processed",
      facts: [],
      timeline: [
        {
          kind: `buildkite.${eventType}`,
          at: date(agent?.created_at) && eventType === "agent.connected" ? fallbackAt : fallbackAt,
          title: eventType === "ping" ? "Buildkite webhook ping" : `Agent ${str(agent?.name) ?? "?"} ${eventType.slice(6)}`,
          refs: [...(str(agent?.name) ? [str(agent?.name)!] : [])],
        },
      ],
    };
  }
  if (!used.has(eventType)) return { status: "ignored", reason: `Buildkite event "${eventType}" is not used` };
  if (eventType === "api.build") {
    const { jobs, ...bare } = body;
    const manual = (Array.isArray(jobs) ? jobs : []).filter((j) => str(obj(j)?.type) === "manual");
    const facts: TFact[] = [];
    for (const job of manual) {
      const one = normalizeBuildkiteDelivery("api.job", { job, build: bare, pipeline: obj(bare.pipeline) }, fallbackAt);
      if (one.status !== "processed") return one;
      facts.push(...one.facts);
    }
    return { status: "processed", facts, timeline: [] };
  }
  if (eventType === "api.build.full") {
    const { jobs, ...bare } = body;
    const pipeline = obj(bare.pipeline);
    const whole = normalizeBuildkiteDelivery("build.finished", { build: bare, pipeline }, fallbackAt);
    if (whole.status !== "processed") return whole;
    const facts = [...whole.facts];
    for (const job of Array.isArray(jobs) ? jobs : []) {
      if (str(obj(job)?.type) === "waiter") continue;
      const one = normalizeBuildkiteDelivery("job.finished", { job, build: bare, pipeline }, fallbackAt);
      if (one.status !== "processed") return one;
      facts.push(...one.facts);
    }
    return { status: "processed", facts, timeline: [] };
  }
  const build = obj(body.build);
  if (!build) return { status: "invalid", error: `${eventType} without a build object` };
  const pipeline = obj(body.pipeline);
  const facts: TFact[] = [];
  const push = (fact: TFact | null) => fact && facts.push(fact);
  const bAt = buildTime(build, fallbackAt);
  const bFact = buildFact(build, pipeline, bAt);
  if (!bFact) return { status: "invalid", error: `${eventType} build without id, number or pipeline slug` };
  push(buildkiteUserFact(build.creator, bAt));
  const slug = String(bFact.data.pipelineSlug);
  const number = int(build.number);
  const sha = str(build.commit);
  const baseRefs = [`${slug}#${number}`, String(number), ...(sha ? [sha] : []), ...(str(build.branch) ? [str(build.branch)!] : [])];
  const timeline: TTimelineItem[] = [];

  if (eventType.startsWith("build.")) {
    push(bFact);
    const state = str(build.state);
    timeline.push({
      kind: eventType,
      at: bAt,
      title: `Build ${slug} #${number} ${build.blocked === true ? "blocked at a gate" : (state ?? eventType.slice(6))}`,
      actorKey: id(obj(build.creator)?.id) ? keys.buildkiteUser(id(obj(build.creator)?.id)) : null,
      actor: str(obj(build.creator)?.name),
      sha,
      refs: baseRefs,
      entityType: "build",
      entityKey: bFact.key,
    });
    return { status: "processed", facts, timeline };
  }

  // job.* events carry the build too; a job snapshot must not roll the build's own state forward or back.
  push({ ...bFact, rank: -1, data: { ...bFact.data, state: undefined, blocked: undefined } });
  const job = obj(body.job);
  const jobId = id(job?.id);
  if (!job || !jobId) return { status: "invalid", error: `${eventType} without job.id` };
  const state = str(job.state);
  const type = str(job.type);
  const stepKey = str(job.step_key);
  const unblocker = obj(job.unblocked_by);
  const unblockerId = id(unblocker?.id);
  push(buildkiteUserFact(unblocker, bAt));
  const at = latest(
    [date(job.created_at), date(job.scheduled_at), date(job.runnable_at), date(job.started_at), date(job.finished_at), date(job.unblocked_at)],
    bAt,
  );
  const environment = deployEnvironment(metaData(build), stepKey);
  const jobKey = keys.buildJob(jobId);
  const label = str(job.label) ?? str(job.name);
  push({
    type: "build_job",
    key: jobKey,
    at,
    rank: stateRank(state),
    data: compact({
      buildKey: bFact.key,
      externalId: jobId,
      type,
      label,
      stepKey,
      state,
      environment,
      unblockable: typeof job.unblockable === "boolean" ? job.unblockable : null,
      unblockedByKey: unblockerId ? keys.buildkiteUser(unblockerId) : null,
      unblockedAt: date(job.unblocked_at),
      agentName: str(obj(job.agent)?.name),
      exitStatus: int(job.exit_status),
      startedAt: date(job.started_at),
      finishedAt: date(job.finished_at),
    }),
  });
  if (environment && type !== "manual") {
    const deployState = state === "passed" ? "success" : state === "failed" || state === "timed_out" ? "failed" : state === "canceled" ? "canceled" : state ? "running" : null;
    push({
      type: "deployment",
      key: keys.buildkiteDeployment(jobId),
      at,
      rank: stateRank(deployState),
      data: compact({
        provider: "buildkite",
        externalId: jobId,
        environment,
        status: deployState,
        commitSha: sha,
        ref: str(build.branch),
        jobExternalId: jobId,
        buildExternalId: id(build.id),
        buildKey: bFact.key,
        projectPath: str(bFact.data.gitlabProjectPath),
        webUrl: str(job.web_url) ?? str(build.web_url),
        startedAt: date(job.started_at),
        finishedAt: date(job.finished_at),
        occurredAt: date(job.started_at) ?? date(job.scheduled_at) ?? at,
      }),
    });
  }
  const verb =
    eventType === "job.activated"
      ? `unblocked by ${str(unblocker?.name) ?? "someone"}`
      : (state ?? eventType.slice(4));
  timeline.push({
    kind: eventType === "job.activated" ? "gate.unblocked" : environment ? `deploy.${state ?? "updated"}` : eventType,
    at,
    title: `${type === "manual" ? "Gate" : "Job"} "${label ?? stepKey ?? jobId}" of ${slug} #${number} ${verb}${environment ? ` (deploy to ${environment})` : ""}`,
    environment,
    actorKey: unblockerId ? keys.buildkiteUser(unblockerId) : null,
    actor: str(unblocker?.name),
    sha,
    refs: [...baseRefs, jobId, ...(stepKey ? [stepKey] : [])],
    entityType: "build_job",
    entityKey: jobKey,
  });
  return { status: "processed", facts, timeline };
}
