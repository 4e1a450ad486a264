import "server-only";
import type pg from "pg";
import { getReportPool } from "@/lib/db";
import { getEnv } from "@/lib/env";
import type { TDeployReceipt } from "@/lib/contracts/deployments";
import type { TChangeManagementRow, TReportQuery } from "@/lib/contracts/reports";
import { buildReceiptCredentials, type TCredentialRow, type TSessionRow } from "@/lib/domain/build-receipt-credentials";
import { productionEnvironments } from "@/lib/shared/production-environments";
import { buildChangeFindings } from "./build-change-findings.ts";

/** A deployment with what the receipt derives from it: the deployed SHA, the deploying build and its meta-data, the deploying GitLab job's pipeline. */
type TDeploymentRow = {
  id: string;
  provider: string;
  environment: string;
  status: string | null;
  occurred_at: string;
  project: string | null;
  default_branch: string | null;
  deployer: string | null;
  sha: string | null;
  build_id: string | null;
  build_project_path: string | null;
  build_mr_iid: number | null;
  build_pipeline_id: string | null;
  job_pipeline_id: string | null;
};
type TBuildRow = { id: string; pipeline_slug: string; number: number; state: string | null; commit_sha: string | null; gitlab_pipeline_id: string | null };
type TMrRow = { id: string; iid: number; state: string | null; head_sha: string | null; merge_commit_sha: string | null; squash_commit_sha: string | null; path: string; author: string | null; merged_by: string | null };
type TApprovalRow = { merge_request_id: string; username: string | null; approved_at: string };
type TPipelineRow = { id: string; external_id: string; status: string | null; ref: string | null; sha: string | null };
type TGateRow = { build_id: string; external_id: string; type: string | null; label: string | null; state: string | null; name: string | null; email: string | null; unblocked_at: string | null };

/** A row as JSON carries its times as strings. */
type TJson<T> = { [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K] };

/** Postgres writes UTC times in JSON as `2026-01-01T00:01:00.123456+00:00`; reshaped as `Date#toISOString` would (milliseconds truncated) without parsing a Date per cell. */
const UTC_JSON_TIME = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?\+00(?::00)?$/;
const iso = (d: string | null | undefined) => {
  if (!d) return null;
  const m = UTC_JSON_TIME.exec(d);
  return m ? `${m[1]}.${((m[2] ?? "") + "000").slice(0, 3)}Z` : new Date(d).toISOString();
};

function group<T, K>(rows: T[], key: (row: T) => K | null | undefined): Map<K, T[]> {
  const map = new Map<K, T[]>();
  for (const row of rows) {
    const k = key(row);
    if (k === null || k === undefined) continue;
    const list = map.get(k);
    if (list) list.push(row);
    else map.set(k, [row]);
  }
  return map;
}

const unique = <T>(values: (T | null | undefined)[]): T[] => [...new Set(values.filter((v): v is T => v !== null && v !== undefined))];

/** A receipt credential as the report's Credentials cell lists it. */
export function describeCredential(c: TDeployReceipt["credentials"][number]): string {
  return c.kind === "aws-role-session"
    ? `role session ${c.roleSession?.roleArn ?? "?"} ${c.lifetimeSeconds ?? "?"}s`
    : `${c.kind} ${c.subject ?? "?"} ${c.lifetimeSeconds ?? "?"}s${c.roleSession ? ` -> ${c.roleSession.roleArn ?? "?"}` : ""}`;
}

/**
 * Batches loaded ahead while earlier rows are written, so Postgres and Node work at the same time.
 * With several batches in flight Postgres works on more than one at a time (one backend each) while
 * Node assembles rows. Five batches of 250 kept the 100,000-deployment bench's peak RSS near 260 MB
 * (bench/README.md); memory grows with batch size times PREFETCH. The loads share the report pool
 * (CUSTODY_REPORT_CONNECTIONS), so concurrent exports wait for each other, not webhooks for them.
 */
const PREFETCH = 5;

type TKey = { at: string; id: string };
type TPeriod = Pick<TReportQuery, "from" | "to" | "environment">;

/**
 * Every deployment to the chosen environments in [from, to), oldest first, with the change behind
 * it and the receipt's findings. Cuts the period into batches of `batchSize` deployments (keyset on
 * (occurred_at, id)) and loads each batch with its whole chain in one statement, at most PREFETCH
 * batches ahead of the reader, so memory stays flat however long the period. A batch's rows are
 * assembled only as the reader takes them. `onBatch` is told the size of each batch as its rows are
 * handed on.
 */
export async function* findChangeManagementRows(
  query: TPeriod,
  options: { batchSize?: number; onBatch?: (size: number) => void; pool?: pg.Pool } = {},
): AsyncGenerator<TChangeManagementRow> {
  const pool = options.pool ?? getReportPool();
  const batchSize = options.batchSize ?? 250;
  const env = getEnv();
  const inFlight: Promise<TBatch>[] = [];
  let after: TKey | null = null;
  for (;;) {
    // The batch ends at its batchSize-th deployment; no end means the rest of the period is the last batch.
    const upto = await findBatchEnd(pool, query, batchSize, after);
    const from = after;
    const loading = withBatchClient(pool, (client) => loadBatch(client, query, from, upto));
    // Awaited later, in order; this only keeps a failure from being reported as unhandled meanwhile.
    loading.catch(() => {});
    inFlight.push(loading);
    after = upto;
    while (inFlight.length && (!upto || inFlight.length >= PREFETCH)) {
      const batch = await inFlight.shift()!;
      if (batch.deployments.length) options.onBatch?.(batch.deployments.length);
      yield* assembleRows(batch, env);
    }
    if (!upto) return;
  }
}

/** The period's filter on `deployment d`, and the keyset bounds (after, upto] when given. Parameters $1–$3 are the period; the bounds follow. */
function deploymentFilter(query: TPeriod, after: TKey | null, upto: TKey | null): { where: string; params: unknown[] } {
  const params: unknown[] = [query.from, query.to, query.environment];
  let where = "d.occurred_at >= $1 AND d.occurred_at < $2 AND (cardinality($3::text[]) = 0 OR d.environment = ANY($3::text[]))";
  if (after) {
    params.push(after.at, after.id);
    where += ` AND (d.occurred_at, d.id) > ($${params.length - 1}::timestamptz, $${params.length}::uuid)`;
  }
  if (upto) {
    params.push(upto.at, upto.id);
    where += ` AND (d.occurred_at, d.id) <= ($${params.length - 1}::timestamptz, $${params.length}::uuid)`;
  }
  return { where, params };
}

/** The key of the batchSize-th deployment after `after` (an index-only walk), or null when fewer remain. */
async function findBatchEnd(pool: pg.Pool, query: TPeriod, batchSize: number, after: TKey | null): Promise<TKey | null> {
  const { where, params } = deploymentFilter(query, after, null);
  const { rows } = await pool.query<TKey>(
    `SELECT d.occurred_at::text AS at, d.id::text AS id FROM deployment d WHERE ${where} ORDER BY d.occurred_at, d.id OFFSET $${params.length + 1} LIMIT 1`,
    [...params, batchSize - 1],
  );
  return rows[0] ?? null;
}

/**
 * Runs one batch's statement on one connection in a read-only transaction, planned for lookups of
 * the batch's keys by index: at the default random_page_cost the planner may read whole tables for
 * each batch instead, which makes a long export quadratic in the size of the tables. Parallel workers
 * and JIT are off because batches already run side by side.
 */
async function withBatchClient<T>(pool: pg.Pool, load: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN READ ONLY; SET LOCAL random_page_cost = 1.1; SET LOCAL max_parallel_workers_per_gather = 0; SET LOCAL jit = off");
    const result = await load(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

type TBatch = {
  deployments: TDeploymentRow[];
  mrs: TMrRow[];
  approvals: TApprovalRow[];
  /** A GitLab username of an approver, and every e-mail known for that person (own and linked accounts). */
  approverEmails: { username: string; emails: string[] }[];
  commitEmails: { merge_request_id: string; author_email: string }[];
  pipelines: TPipelineRow[];
  ciJobs: { pipeline_id: string; external_id: string }[];
  builds: TBuildRow[];
  buildJobs: TGateRow[];
  credentials: TJson<TCredentialRow>[];
  sessions: TJson<TSessionRow>[];
};

const buildColumns = "id, pipeline_slug, number, state, commit_sha, gitlab_pipeline_id";
const mrColumns = "ctid AS ord, id, iid, state, head_sha, merge_commit_sha, squash_commit_sha, project_id, author_account_id, merged_by_account_id";
const pipelineColumns = "id, external_id, status, ref, sha, created_at";
const credentialColumns = "key, kind, provider, issuer, subject, audience, issued_at, expires_at, job_external_id, ref";
const sessionColumns = "event_id, role_arn, session_name, subject, source_ip, issued_at, expires_at, job_external_id";
/** A JSON array of a CTE's rows as objects of the given columns (all when none are named), in the given order. */
const rowsOf = (cte: string, orderBy = "", columns = "") => {
  const row = columns ? `json_build_object(${columns.split(",").map((c) => `'${c.trim()}', x.${c.trim()}`).join(", ")})` : "x";
  return `(SELECT coalesce(json_agg(${row}${orderBy ? ` ORDER BY ${orderBy}` : ""}), '[]'::json) FROM ${cte} x)`;
};

/**
 * One batch of deployments and everything the receipt would link to them, in one statement: each
 * step is an indexed lookup by the keys the previous steps found (`= ANY(ARRAY(...))`), so keys
 * never travel to Node and back, and the whole batch comes back as one JSON value. Each way of
 * linking is its own lookup; the sets are returned in the order the receipt reads them.
 */
async function loadBatch(client: pg.PoolClient, query: TPeriod, after: TKey | null, upto: TKey | null): Promise<TBatch> {
  const { where, params } = deploymentFilter(query, after, upto);
  const { rows } = await client.query<{ batch: TBatch }>({
    // Prepared once per connection and shape of bounds, so later batches skip planning (about 5 ms
    // each). Not on the embedded database: it shares one session between connections, where a
    // second connection preparing the same name fails.
    name: getEnv().CUSTODY_EMBEDDED === "1" ? undefined : `change-management-batch-${after ? "a" : ""}${upto ? "u" : ""}`,
    text: `WITH dep AS MATERIALIZED (
       SELECT d.id, d.provider, d.environment, d.status, d.commit_sha, d.job_external_id, d.build_external_id, d.project_id, d.occurred_at,
              p.path, p.default_branch, coalesce(a.username, a.name) AS deployer
       FROM deployment d LEFT JOIN project p ON p.id = d.project_id LEFT JOIN account a ON a.id = d.triggered_by_account_id
       WHERE ${where}),
     dbuild AS MATERIALIZED (
       SELECT ${buildColumns}, external_id, gitlab_project_path, gitlab_mr_iid FROM build WHERE external_id = ANY(ARRAY(SELECT build_external_id FROM dep))),
     djob AS MATERIALIZED (
       SELECT project_id, external_id, sha, pipeline_id FROM ci_job WHERE external_id = ANY(ARRAY(SELECT job_external_id FROM dep WHERE provider = 'gitlab'))),
     chain AS MATERIALIZED (
       SELECT d.id, d.provider, d.environment, d.status, d.occurred_at, coalesce(d.path, b.gitlab_project_path) AS project, d.default_branch, d.deployer,
              coalesce(d.commit_sha, j.sha, b.commit_sha) AS sha, b.id AS build_id, b.gitlab_project_path AS build_project_path,
              b.gitlab_mr_iid AS build_mr_iid, b.gitlab_pipeline_id AS build_pipeline_id, j.pipeline_id AS job_pipeline_id
       FROM dep d LEFT JOIN dbuild b ON b.external_id = d.build_external_id
       LEFT JOIN djob j ON d.provider = 'gitlab' AND j.project_id = d.project_id AND j.external_id = d.job_external_id),
     mr AS MATERIALIZED (
       SELECT mr.ord, mr.id, mr.iid, mr.state, mr.head_sha, mr.merge_commit_sha, mr.squash_commit_sha, p.path, au.username AS author, mb.username AS merged_by
       FROM (SELECT ${mrColumns} FROM merge_request WHERE merge_commit_sha = ANY(ARRAY(SELECT sha FROM chain))
             UNION SELECT ${mrColumns} FROM merge_request WHERE squash_commit_sha = ANY(ARRAY(SELECT sha FROM chain))
             UNION SELECT ${mrColumns} FROM merge_request WHERE head_sha = ANY(ARRAY(SELECT sha FROM chain))
             UNION SELECT m.ctid, m.id, m.iid, m.state, m.head_sha, m.merge_commit_sha, m.squash_commit_sha, m.project_id, m.author_account_id, m.merged_by_account_id
                   FROM dbuild b JOIN project kp ON kp.path = b.gitlab_project_path JOIN merge_request m ON m.project_id = kp.id AND m.iid = b.gitlab_mr_iid) mr
       JOIN project p ON p.id = mr.project_id
       LEFT JOIN account au ON au.id = mr.author_account_id LEFT JOIN account mb ON mb.id = mr.merged_by_account_id),
     approval AS MATERIALIZED (
       SELECT a.merge_request_id, a.account_id, ac.username, ac.person_id, a.approved_at
       FROM merge_request_approval a JOIN account ac ON ac.id = a.account_id
       WHERE a.merge_request_id = ANY(ARRAY(SELECT id FROM mr)) AND a.approved_at IS NOT NULL AND a.revoked_at IS NULL),
     approver AS (
       SELECT ap.username, ARRAY(SELECT o.email FROM account o WHERE o.email IS NOT NULL AND (o.id = ap.account_id OR (ap.person_id IS NOT NULL AND o.person_id = ap.person_id))) AS emails
       FROM (SELECT DISTINCT account_id, username, person_id FROM approval WHERE username IS NOT NULL) ap),
     commit_email AS (
       SELECT DISTINCT mrc.merge_request_id, c.author_email FROM merge_request_commit mrc JOIN commit c ON c.sha = mrc.sha
       WHERE mrc.merge_request_id = ANY(ARRAY(SELECT id FROM mr)) AND c.author_email IS NOT NULL),
     pl AS MATERIALIZED (
       SELECT ${pipelineColumns} FROM pipeline WHERE sha = ANY(ARRAY(SELECT sha FROM chain UNION SELECT head_sha FROM mr))
       UNION SELECT ${pipelineColumns} FROM pipeline WHERE external_id = ANY(ARRAY(SELECT gitlab_pipeline_id FROM dbuild))
       UNION SELECT ${pipelineColumns} FROM pipeline WHERE id = ANY(ARRAY(SELECT job_pipeline_id FROM chain))),
     ci AS MATERIALIZED (SELECT pipeline_id, external_id FROM ci_job WHERE pipeline_id = ANY(ARRAY(SELECT id FROM pl))),
     bl AS MATERIALIZED (
       SELECT ${buildColumns} FROM dbuild
       UNION SELECT ${buildColumns} FROM build WHERE commit_sha = ANY(ARRAY(SELECT sha FROM chain))
       UNION SELECT ${buildColumns} FROM build WHERE gitlab_pipeline_id = ANY(ARRAY(SELECT external_id FROM pl))),
     bj AS MATERIALIZED (
       SELECT bj.build_id, bj.external_id, bj.type, bj.label, bj.state, ua.name, ua.email, bj.unblocked_at
       FROM build_job bj LEFT JOIN account ua ON ua.id = bj.unblocked_by_account_id WHERE bj.build_id = ANY(ARRAY(SELECT id FROM bl))),
     cr AS MATERIALIZED (
       SELECT ${credentialColumns} FROM credential WHERE provider = 'buildkite' AND job_external_id = ANY(ARRAY(SELECT external_id FROM bj))
       UNION ALL
       SELECT ${credentialColumns} FROM credential WHERE provider = 'gitlab' AND job_external_id = ANY(ARRAY(SELECT external_id FROM ci))),
     rs AS (
       SELECT ${sessionColumns} FROM role_session WHERE job_external_id = ANY(ARRAY(SELECT external_id FROM bj))
       UNION SELECT ${sessionColumns} FROM role_session WHERE subject = ANY(ARRAY(SELECT subject FROM cr)))
     SELECT json_build_object(
       'deployments', ${rowsOf("chain", "x.occurred_at, x.id")},
       'mrs', ${rowsOf("mr", "x.ord", "id, iid, state, head_sha, merge_commit_sha, squash_commit_sha, path, author, merged_by")},
       'approvals', ${rowsOf("approval", "x.approved_at, x.username", "merge_request_id, username, approved_at")},
       'approverEmails', ${rowsOf("approver")},
       'commitEmails', ${rowsOf("commit_email")},
       'pipelines', ${rowsOf("pl", "x.created_at, x.id", "id, external_id, status, ref, sha")},
       'ciJobs', ${rowsOf("ci")},
       'builds', ${rowsOf("bl", "x.number, x.id")},
       'buildJobs', ${rowsOf("bj", "x.unblocked_at, x.external_id")},
       'credentials', ${rowsOf("cr", "x.issued_at, x.key")},
       'sessions', ${rowsOf("rs", "x.issued_at, x.event_id")}) AS batch`,
    values: params,
  });
  return rows[0]!.batch;
}

/** Each deployment of a batch with its links picked as the receipt does, its findings, and its report row. */
function* assembleRows(batch: TBatch, env: ReturnType<typeof getEnv>): Generator<TChangeManagementRow> {
  const { deployments, mrs, approvals, commitEmails, pipelines, ciJobs, builds, buildJobs } = batch;
  const credentials = batch.credentials.map((c) => ({ ...c, issued_at: new Date(c.issued_at), expires_at: new Date(c.expires_at) }));
  const sessions = batch.sessions.map((r) => ({ ...r, issued_at: new Date(r.issued_at), expires_at: r.expires_at ? new Date(r.expires_at) : null }));

  // In-memory indexes over this batch; each deployment then picks its chain as the receipt does.
  const mrBySha = new Map<string, TMrRow[]>();
  for (const m of mrs) for (const s of unique([m.merge_commit_sha, m.squash_commit_sha, m.head_sha])) mrBySha.set(s, [...(mrBySha.get(s) ?? []), m]);
  const mrByRef = new Map(mrs.map((m) => [`${m.path}!${m.iid}`, m]));
  const approvalsByMr = group(approvals, (a) => a.merge_request_id);
  const emailsByMr = group(commitEmails, (c) => c.merge_request_id);
  const pipelinesBySha = group(pipelines, (p) => p.sha);
  const pipelinesByExt = group(pipelines, (p) => p.external_id);
  const pipelineById = new Map(pipelines.map((p) => [p.id, p]));
  const ciJobsByPipeline = group(ciJobs, (j) => j.pipeline_id);
  const buildById = new Map(builds.map((b) => [b.id, b]));
  const buildsBySha = group(builds, (b) => b.commit_sha);
  const buildsByPipeline = group(builds, (b) => b.gitlab_pipeline_id);
  const jobsByBuild = group(buildJobs, (j) => j.build_id);
  const credentialsByJob = group(credentials, (c) => (c.job_external_id ? `${c.provider}:${c.job_external_id}` : null));
  const sessionsByJob = group(sessions, (s) => s.job_external_id);
  const sessionsBySubject = group(sessions, (s) => s.subject);
  const approverEmails = new Map(batch.approverEmails.map((a) => [a.username, a.emails]));

  for (const d of deployments) {
    const { sha } = d;
    const linkedMrs = new Map<string, TMrRow>();
    for (const m of sha ? (mrBySha.get(sha) ?? []) : []) linkedMrs.set(m.id, m);
    const metaMr = d.build_mr_iid && d.build_project_path ? mrByRef.get(`${d.build_project_path}!${d.build_mr_iid}`) : undefined;
    if (metaMr) linkedMrs.set(metaMr.id, metaMr);
    const mrList = [...linkedMrs.values()];

    const linkedPipelines = new Map<string, TPipelineRow>();
    for (const s of unique([sha, ...mrList.map((m) => m.head_sha)])) for (const p of pipelinesBySha.get(s) ?? []) linkedPipelines.set(p.id, p);
    for (const p of d.build_pipeline_id ? (pipelinesByExt.get(d.build_pipeline_id) ?? []) : []) linkedPipelines.set(p.id, p);
    const jobPipeline = d.job_pipeline_id ? pipelineById.get(d.job_pipeline_id) : undefined;
    if (jobPipeline) linkedPipelines.set(jobPipeline.id, jobPipeline);
    const pipelineList = [...linkedPipelines.values()];

    const linkedBuilds = new Map<string, TBuildRow>();
    const deployBuild = d.build_id ? buildById.get(d.build_id) : undefined;
    if (deployBuild) linkedBuilds.set(deployBuild.id, deployBuild);
    for (const b of sha ? (buildsBySha.get(sha) ?? []) : []) linkedBuilds.set(b.id, b);
    for (const p of pipelineList) for (const b of buildsByPipeline.get(p.external_id) ?? []) linkedBuilds.set(b.id, b);
    const buildList = [...linkedBuilds.values()];

    const bkJobs = buildList.flatMap((b) => (jobsByBuild.get(b.id) ?? []).map((j) => j.external_id));
    const glJobs = pipelineList.flatMap((p) => (ciJobsByPipeline.get(p.id) ?? []).map((j) => j.external_id));
    const myCredentials = [...bkJobs.flatMap((id) => credentialsByJob.get(`buildkite:${id}`) ?? []), ...glJobs.flatMap((id) => credentialsByJob.get(`gitlab:${id}`) ?? [])].sort(
      (a, b) => a.issued_at.getTime() - b.issued_at.getTime() || a.key.localeCompare(b.key),
    );
    const mySessions = new Map<string, TSessionRow>();
    for (const id of bkJobs) for (const s of sessionsByJob.get(id) ?? []) mySessions.set(s.event_id, s);
    for (const c of myCredentials) for (const s of sessionsBySubject.get(c.subject) ?? []) mySessions.set(s.event_id, s);
    const sessionList = [...mySessions.values()].sort((a, b) => a.issued_at.getTime() - b.issued_at.getTime() || a.event_id.localeCompare(b.event_id));

    const receipt: Omit<TDeployReceipt, "findings"> = {
      id: d.id,
      provider: d.provider,
      project: d.project,
      environment: d.environment,
      status: d.status,
      commitSha: sha,
      startedAt: null,
      finishedAt: null,
      occurredAt: iso(d.occurred_at)!,
      triggeredBy: d.deployer ? { username: d.deployer } : null,
      mergeRequests: mrList.map((m) => ({
        iid: m.iid,
        project: m.path,
        title: null,
        url: null,
        state: m.state,
        author: m.author ? { username: m.author } : null,
        approvers: (approvalsByMr.get(m.id) ?? []).map((a) => ({ username: a.username, approvedAt: iso(a.approved_at) })),
        mergedBy: m.merged_by ? { username: m.merged_by } : null,
        mergedAt: null,
        commits: [],
        commitAuthorEmails: (emailsByMr.get(m.id) ?? []).map((c) => c.author_email),
        linkedBy: "",
      })),
      pipelines: pipelineList.map((p) => ({ provider: "gitlab" as const, id: p.external_id, status: p.status, ref: p.ref, sha: p.sha, source: null, url: null, triggeredBy: null, jobs: [], linkedBy: "" })),
      builds: buildList.map((b) => ({
        provider: "buildkite" as const,
        pipeline: b.pipeline_slug,
        number: b.number,
        state: b.state,
        url: null,
        creator: null,
        gates: (jobsByBuild.get(b.id) ?? [])
          .filter((j) => j.type === "manual")
          .map((j) => ({ label: j.label, state: j.state, unblockedBy: j.name || j.email ? { name: j.name, email: j.email } : null, unblockedAt: iso(j.unblocked_at) })),
        linkedBy: "",
      })),
      credentials: buildReceiptCredentials(myCredentials, sessionList),
      evidence: [],
    };
    const findings = buildChangeFindings(receipt, approverEmails, {
      maxCredentialLifetimeSeconds: env.CUSTODY_CREDENTIAL_MAX_LIFETIME,
      allowedAudiences: env.CUSTODY_CREDENTIAL_AUDIENCES,
      production: productionEnvironments.includes(d.environment),
      defaultBranches: d.default_branch ? [d.default_branch] : undefined,
    });
    yield {
      deploymentId: d.id,
      occurredAt: receipt.occurredAt,
      environment: d.environment,
      project: receipt.project,
      provider: d.provider,
      status: d.status,
      commitSha: sha,
      deployer: d.deployer,
      mergeRequests: receipt.mergeRequests.map((m) => `${m.project}!${m.iid} (${m.state ?? "unknown"})`),
      authors: unique(receipt.mergeRequests.map((m) => m.author?.username)),
      approvers: receipt.mergeRequests.flatMap((m) => m.approvers.map((a) => `${a.username ?? "?"} ${a.approvedAt ?? ""}`.trim())),
      mergedBy: unique(receipt.mergeRequests.map((m) => m.mergedBy?.username)),
      pipelines: receipt.pipelines.map((p) => `#${p.id} ${p.status ?? "unknown"}`),
      builds: receipt.builds.map((b) => `${b.pipeline}#${b.number} ${b.state ?? "unknown"}`),
      gates: receipt.builds.flatMap((b) =>
        b.gates.map((g) => `${g.label ?? "gate"}: ${g.state ?? "unknown"}${g.unblockedBy ? ` by ${g.unblockedBy.email ?? g.unblockedBy.name}` : ""}${g.unblockedAt ? ` ${g.unblockedAt}` : ""}`),
      ),
      credentials: receipt.credentials.map(describeCredential),
      findings,
    };
  }
}
