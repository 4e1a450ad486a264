// Processing lag: story deliveries (tests/fixtures/story.ts, many seeds) go through the real webhook
// routes at a fixed rate; for every 2xx we note when the answer arrived, then watch for the fact to
// become visible in two ways:
//   processed — the delivery row has processed_at set (a batched SELECT on the bench database);
//   receipt   — for deploy deliveries (GitLab Deployment Hook, Buildkite job.finished of a deploy
//               step), GET /api/v1/deployments/{id} lists the delivery among its evidence.
// The deployment's uuid is looked up in the database by (provider, external_id); the receipt itself
// is read through the HTTP API only.
import { createHmac } from "node:crypto";
import type pg from "pg";
import { buildStory, type TStoryDelivery } from "../../tests/fixtures/story.ts";
import { runOpenLoop, type TOpenRequest } from "./open-loop.ts";
import { nowMs, sleep, summarize, type TSummary } from "./stats.ts";

type TTag = { source: "gitlab" | "buildkite"; event: string; seed: number; step: number; deployment: { provider: string; externalId: string } | null };

type TSample = {
  deliveryId: string;
  source: string;
  event: string;
  ackAt: number;
  seenProcessedAt?: number;
  processedAtDb?: number;
  state?: string;
  deployment: { provider: string; externalId: string } | null;
  seenReceiptAt?: number;
};

export type TLagResult = {
  rate: number;
  seconds: number;
  seeds: number;
  sent: number;
  stored202: number;
  duplicate200: number;
  non2xx: number;
  errors: number;
  firstErrors: string[];
  ackLatencyMs: TSummary;
  processed: { n: number; notSeen: number; lagMs: TSummary; dbStampLagMs: TSummary; states: Record<string, number>; pollMs: number };
  receipt: {
    n: number;
    notSeen: number;
    lagMs: TSummary;
    byEvent: Record<string, TSummary>;
    polls: number;
    pollStatuses: Record<string, number>;
    /** Set when the receipt API could not be read at all (e.g. 401 without a token); then the lag falls back to processed_at. */
    unavailable: string | null;
    getLatencyMs: TSummary;
    pollMs: number;
  };
  waitedAfterSendMs: number;
};

const obj = (value: unknown): Record<string, unknown> | null =>
  value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;

/** The deployment a delivery should show up in, or null when it is not a deploy delivery. */
export function deploymentOf(delivery: TStoryDelivery): { provider: string; externalId: string } | null {
  const body = obj(JSON.parse(delivery.body));
  if (!body) return null;
  if (delivery.source === "gitlab" && delivery.event === "Deployment Hook") {
    const projectId = obj(body.project)?.id;
    return body.deployment_id != null && projectId != null ? { provider: "gitlab", externalId: `${projectId}:${body.deployment_id}` } : null;
  }
  if (delivery.source === "buildkite" && delivery.event === "job.finished") {
    const job = obj(body.job);
    const meta = obj(obj(body.build)?.meta_data);
    const stepKey = typeof job?.step_key === "string" ? job.step_key : null;
    if (job && stepKey && meta && typeof meta[`deploy-environment:${stepKey}`] === "string" && typeof job.id === "string") {
      return { provider: "buildkite", externalId: job.id };
    }
  }
  return null;
}

export async function runLag(options: {
  host: string;
  port: number;
  pool: pg.Pool;
  rate: number;
  seconds: number;
  connections: number;
  seedStart: number;
  runId: string;
  secrets: { gitlabToken: string; buildkiteSigning: string };
  timeoutMs: number;
  processedPollMs: number;
  receiptPollMs: number;
  /** `Authorization` header value for the receipt API, when it needs one. */
  authorization: string | null;
  log: (line: string) => void;
}): Promise<TLagResult> {
  const total = Math.round(options.rate * options.seconds);
  const deliveries: Array<TStoryDelivery & { seed: number; step: number }> = [];
  let seed = options.seedStart;
  while (deliveries.length < total) {
    buildStory({ seed }).forEach((d, step) => deliveries.push({ ...d, seed, step: step + 1 }));
    seed += 1;
  }
  const seeds = seed - options.seedStart;

  const build = (index: number): TOpenRequest<TTag> => {
    const d = deliveries[index]!;
    const body = Buffer.from(d.body, "utf8");
    const tag: TTag = { source: d.source, event: d.event, seed: d.seed, step: d.step, deployment: deploymentOf(d) };
    if (d.source === "gitlab") {
      return {
        path: "/api/webhooks/gitlab",
        tag,
        body,
        headers: {
          "content-type": "application/json",
          "user-agent": "GitLab/19.0.0-ee",
          "x-gitlab-event": d.event,
          "x-gitlab-token": options.secrets.gitlabToken,
          "idempotency-key": `bench-${options.runId}-${d.seed}-${d.step}`,
          "x-gitlab-instance": "https://gitlab.acme.test",
        },
      };
    }
    const ts = Math.floor(Date.now() / 1000);
    const signature = createHmac("sha256", options.secrets.buildkiteSigning).update(`${ts}.`).update(body).digest("hex");
    return {
      path: "/api/webhooks/buildkite",
      tag,
      body,
      headers: {
        "content-type": "application/json",
        "user-agent": "Buildkite-Request",
        "x-buildkite-event": d.event,
        "x-buildkite-signature": `timestamp=${ts},signature=${signature}`,
      },
    };
  };

  const samples: TSample[] = [];
  const awaitingProcessed = new Map<string, TSample>();
  const awaitingReceipt = new Map<string, TSample>(); // deliveryId → sample
  const deploymentIds = new Map<string, string>(); // "provider|externalId" → uuid
  const receiptGetMs: number[] = [];
  let receiptPolls = 0;
  let receiptOk = 0;
  let receiptUnavailable: string | null = null;
  const pollStatuses: Record<string, number> = {};
  let stopped = false;

  const processedLoop = async () => {
    while (!stopped) {
      const ids = [...awaitingProcessed.keys()];
      if (ids.length) {
        try {
          const { rows } = await options.pool.query<{ id: string; processed_ms: number; state: string }>(
            `SELECT id::text AS id, (extract(epoch FROM processed_at) * 1000)::float8 AS processed_ms, processing_state::text AS state
               FROM delivery WHERE id = ANY($1::uuid[]) AND processed_at IS NOT NULL`,
            [ids],
          );
          const seenAt = nowMs();
          for (const row of rows) {
            const sample = awaitingProcessed.get(row.id);
            if (!sample) continue;
            sample.seenProcessedAt = seenAt;
            sample.processedAtDb = row.processed_ms;
            sample.state = row.state;
            awaitingProcessed.delete(row.id);
          }
        } catch (error) {
          options.log(`lag: processed poll failed: ${(error as Error).message}`);
        }
      }
      await sleep(options.processedPollMs);
    }
  };

  const receiptLoop = async () => {
    while (!stopped) {
      const byKey = new Map<string, TSample[]>();
      for (const sample of awaitingReceipt.values()) {
        const key = `${sample.deployment!.provider}|${sample.deployment!.externalId}`;
        byKey.set(key, [...(byKey.get(key) ?? []), sample]);
      }
      const unresolved = [...byKey.keys()].filter((key) => !deploymentIds.has(key));
      if (unresolved.length) {
        try {
          const { rows } = await options.pool.query<{ id: string; provider: string; external_id: string }>(
            `SELECT d.id::text AS id, d.provider, d.external_id FROM deployment d
               JOIN unnest($1::text[], $2::text[]) AS k(provider, external_id) ON d.provider = k.provider AND d.external_id = k.external_id`,
            [unresolved.map((k) => k.split("|")[0]), unresolved.map((k) => k.split("|")[1])],
          );
          for (const row of rows) deploymentIds.set(`${row.provider}|${row.external_id}`, row.id);
        } catch (error) {
          options.log(`lag: deployment lookup failed: ${(error as Error).message}`);
        }
      }
      const ready = [...byKey.entries()].filter(([key]) => deploymentIds.has(key));
      // At most 4 receipts in flight per round keeps the poller from becoming load of its own.
      for (let i = 0; i < ready.length; i += 4) {
        await Promise.all(
          ready.slice(i, i + 4).map(async ([key, waiting]) => {
            const started = nowMs();
            try {
              const response = await fetch(`http://${options.host}:${options.port}/api/v1/deployments/${deploymentIds.get(key)}`, {
                headers: options.authorization ? { authorization: options.authorization } : {},
                signal: AbortSignal.timeout(10_000),
              });
              receiptPolls += 1;
              pollStatuses[response.status] = (pollStatuses[response.status] ?? 0) + 1;
              if (response.status !== 200) {
                const text = await response.text();
                // The receipt API refuses us outright (auth, unknown route): stop waiting for it.
                // Server errors are not a refusal; those polls are retried.
                if (receiptOk === 0 && receiptPolls >= 10 && [401, 403, 404, 405].includes(response.status) && !receiptUnavailable) {
                  receiptUnavailable = `GET /api/v1/deployments/{id} answered ${response.status}: ${text.slice(0, 160)}`;
                  options.log(`lag: receipt API unavailable (${receiptUnavailable}); falling back to processed_at`);
                  awaitingReceipt.clear();
                }
                return;
              }
              receiptOk += 1;
              const receipt = (await response.json()) as { evidence?: Array<{ deliveryId: string }> };
              const seenAt = nowMs();
              receiptGetMs.push(seenAt - started);
              const shown = new Set((receipt.evidence ?? []).map((e) => e.deliveryId));
              for (const sample of waiting) {
                if (shown.has(sample.deliveryId)) {
                  sample.seenReceiptAt = seenAt;
                  awaitingReceipt.delete(sample.deliveryId);
                }
              }
            } catch (error) {
              options.log(`lag: receipt poll failed: ${(error as Error).message}`);
            }
          }),
        );
      }
      await sleep(options.receiptPollMs);
    }
  };

  const loops = [processedLoop(), receiptLoop()];
  let stored202 = 0;
  let duplicate200 = 0;
  let non2xx = 0;
  let errors = 0;
  const firstErrors: string[] = [];
  const ackMs: number[] = [];
  const run = await runOpenLoop<TTag>({
    host: options.host,
    port: options.port,
    rate: options.rate,
    seconds: options.seconds,
    connections: options.connections,
    keepBody: true,
    build,
    onResult: (result) => {
      if (result.error) {
        errors += 1;
        if (firstErrors.length < 5) firstErrors.push(result.error);
        return;
      }
      ackMs.push(result.doneAt - result.dueAt);
      if (result.status === 200) duplicate200 += 1;
      if (result.status < 200 || result.status > 299) {
        non2xx += 1;
        if (firstErrors.length < 5) firstErrors.push(`${result.status} ${result.body.slice(0, 200)}`);
        return;
      }
      if (result.status !== 202) return;
      stored202 += 1;
      let id: string | undefined;
      try {
        id = (JSON.parse(result.body) as { id?: string }).id;
      } catch {
        // counted as stored but cannot be followed
      }
      if (!id) return;
      const sample: TSample = { deliveryId: id, source: result.tag.source, event: result.tag.event, ackAt: result.doneAt, deployment: result.tag.deployment };
      samples.push(sample);
      awaitingProcessed.set(id, sample);
      if (sample.deployment && !receiptUnavailable) awaitingReceipt.set(id, sample);
    },
  });
  const sendEnd = nowMs();
  const deadline = sendEnd + options.timeoutMs;
  while ((awaitingProcessed.size || awaitingReceipt.size) && nowMs() < deadline) await sleep(100);
  const waitedAfterSendMs = nowMs() - sendEnd;
  stopped = true;
  await Promise.all(loops);

  const processedLag = samples.map((s) => (s.seenProcessedAt === undefined ? Number.POSITIVE_INFINITY : s.seenProcessedAt - s.ackAt));
  const dbLag = samples.filter((s) => s.processedAtDb !== undefined).map((s) => s.processedAtDb! - s.ackAt);
  const tracked = samples.filter((s) => s.deployment);
  const receiptLag = tracked.map((s) => (s.seenReceiptAt === undefined ? Number.POSITIVE_INFINITY : s.seenReceiptAt - s.ackAt));
  const byEvent: Record<string, TSummary> = {};
  for (const event of new Set(tracked.map((s) => `${s.source}:${s.event}`))) {
    byEvent[event] = summarize(
      tracked.filter((s) => `${s.source}:${s.event}` === event).map((s) => (s.seenReceiptAt === undefined ? Number.POSITIVE_INFINITY : s.seenReceiptAt - s.ackAt)),
    );
  }
  const states: Record<string, number> = {};
  for (const s of samples) if (s.state) states[s.state] = (states[s.state] ?? 0) + 1;

  return {
    rate: options.rate,
    seconds: options.seconds,
    seeds,
    sent: run.results.length,
    stored202,
    duplicate200,
    non2xx,
    errors,
    firstErrors,
    ackLatencyMs: summarize(ackMs),
    processed: {
      n: samples.length,
      notSeen: samples.filter((s) => s.seenProcessedAt === undefined).length,
      lagMs: summarize(processedLag),
      dbStampLagMs: summarize(dbLag),
      states,
      pollMs: options.processedPollMs,
    },
    receipt: {
      n: tracked.length,
      notSeen: tracked.filter((s) => s.seenReceiptAt === undefined).length,
      lagMs: summarize(receiptLag),
      byEvent,
      polls: receiptPolls,
      pollStatuses,
      unavailable: receiptUnavailable,
      getLatencyMs: summarize(receiptGetMs),
      pollMs: options.receiptPollMs,
    },
    waitedAfterSendMs: Math.round(waitedAfterSendMs),
  };
}
