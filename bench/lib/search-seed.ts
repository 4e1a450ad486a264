// The search benchmark's data generator: the provenance graph and the timeline, shaped like what the
// ingest writes (lib/ingest/process/* and the normalizers: same keys, titles, refs, evidence links), but
// produced set-based in SQL so a million events load in minutes. Deterministic: every value comes from
// a hash of (salt, row number), so two seeds with the same version and size are the same data.
import type pg from "pg";

/** Bump when the generated data changes shape; a database seeded by another version is reseeded. */
export const GENERATOR_VERSION = 4;

export type TSeedSize = { mergeRequests: number; events: number; projects: number; people: number; days: number };

export const defaultSize: TSeedSize = { mergeRequests: 25_000, events: 1_000_000, projects: 200, people: 400, days: 365 };

/** Tables the generator fills (and truncates first). */
export const seededTables = [
  "delivery",
  "fact",
  "fact_evidence",
  "timeline_event",
  "ingest_rejection",
  "merge_request_approval",
  "merge_request_commit",
  "commit",
  "ci_job",
  "pipeline",
  "build_job",
  "build",
  "deployment",
  "credential",
  "role_session",
  "merge_request",
  "project",
  "account",
  "person",
];

const groups = ["acme", "platform", "payments", "data", "mobile", "infra", "web", "security", "growth", "core"];
const projectNames = [
  "payments-api", "ledger", "checkout", "billing-worker", "auth-service", "gateway", "search", "notifications", "reporting",
  "risk-engine", "fraud-scoring", "inventory", "catalog", "shipping", "pricing", "identity", "audit-log", "metrics",
  "scheduler", "web-frontend",
];
const firstNames = [
  "alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "ken", "laura", "mallory", "niaj",
  "olivia", "peggy", "quentin", "rupert", "sybil", "trent", "uma", "victor", "wendy", "xavier", "yara", "zoe", "aaron",
  "bella", "caleb", "diana", "ethan", "fiona", "george", "hannah", "isaac", "jade", "kevin", "lena", "mike", "nora",
];
const lastNames = ["smith", "jones", "brown", "taylor", "wilson", "davies", "evans", "thomas", "johnson", "roberts"];
const verbs = ["Fix", "Add", "Refactor", "Bump", "Remove", "Improve", "Speed up", "Document", "Harden", "Revert", "Migrate", "Test"];
const nouns = [
  "retry logic", "refund flow", "ledger export", "idempotency keys", "rate limiter", "OIDC audience check", "webhook signature",
  "currency rounding", "invoice PDF", "session cookie", "feature flag cleanup", "dependency pins", "Postgres pool size",
  "timeout handling", "audit trail", "settlement batch", "card tokenization", "3DS challenge", "payout schedule", "tax rules",
  "search ranking", "cache invalidation", "health check", "metrics labels", "log redaction", "TLS config", "role mapping",
  "pagination cursor", "CSV import", "email templates", "push notifications", "SSO callback", "CI cache", "Docker base image",
  "Helm chart", "Terraform module", "S3 lifecycle", "Kafka consumer", "dead letter queue", "schema migration",
];
const areas = ["the API", "the worker", "checkout", "billing", "the dashboard", "the CLI", "the scheduler", "reports"];
const labels = ["bug", "feature", "security", "dependencies", "tech-debt", "performance"];
const branchPrefixes = ["feature", "fix", "chore", "renovate"];

const sqlArray = (values: string[]) => `(ARRAY[${values.map((v) => `'${v.replaceAll("'", "''")}'`).join(",")}]::text[])`;

/**
 * The generator as a list of SQL steps. `end` is the newest moment in the data (the seed's "now");
 * everything happens in the `days` before it.
 */
export function seedSteps(size: TSeedSize, end: Date): { name: string; sql: string }[] {
  const M = size.mergeRequests;
  const P = Math.min(size.projects, groups.length * projectNames.length);
  const U = Math.min(size.people, firstNames.length * lastNames.length);
  const endEpoch = Math.floor(end.getTime() / 1000);
  const span = size.days * 86_400;
  const startEpoch = endEpoch - span;
  // Builds still waiting at their gate have not deployed; as many extra review apps keep the deployment count round.
  let waiting = 0;
  for (let m = Math.max(0, M - 60); m < M; m++) if (m % 3 === 0 && m % 20 < 17) waiting++;
  const pick = (array: string, index: string) => `(${array})[1 + ((${index}) % array_length(${array}, 1))]`;
  return [
    {
      name: "helpers",
      sql: `
        DROP SCHEMA IF EXISTS bench CASCADE;
        CREATE SCHEMA bench;
        CREATE FUNCTION bench.r(salt text, i bigint) RETURNS float8 LANGUAGE sql IMMUTABLE PARALLEL SAFE
          AS $$ SELECT (hashtext(salt || ':' || i) & 2147483647)::float8 / 2147483648.0 $$;
        CREATE FUNCTION bench.sha(salt text, i bigint) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
          AS $$ SELECT md5(salt || ':' || i) || left(md5(i || ':' || salt), 8) $$;
        CREATE FUNCTION bench.uuid(salt text, i bigint) RETURNS uuid LANGUAGE sql IMMUTABLE PARALLEL SAFE
          AS $$ SELECT md5(salt || '/' || i)::uuid $$;
        CREATE FUNCTION bench.at(epoch float8) RETURNS timestamptz LANGUAGE sql IMMUTABLE PARALLEL SAFE
          AS $$ SELECT date_trunc('milliseconds', to_timestamp(least(epoch, ${endEpoch}))) $$;`,
    },
    {
      name: "projects and people",
      sql: `
        CREATE TABLE bench.project AS
          SELECT p, bench.uuid('project', p) AS id, (1000 + p)::text AS ext,
                 ${pick(sqlArray(groups), "p")} || '/' || ${sqlArray(projectNames)}[1 + (p / ${groups.length}) % ${projectNames.length}] AS path
          FROM generate_series(0, ${P - 1}) AS p;
        CREATE TABLE bench.person AS
          SELECT u, ${pick(sqlArray(firstNames), "u")} AS first, ${sqlArray(lastNames)}[1 + (u / ${firstNames.length}) % ${lastNames.length}] AS last
          FROM generate_series(0, ${U - 1}) AS u;
        INSERT INTO project (id, provider, external_id, path, name, web_url, default_branch)
          SELECT id, 'gitlab', ext, path, split_part(path, '/', 2), 'https://gitlab.example.com/' || path, 'main' FROM bench.project;
        INSERT INTO person (id, display_name, created_at)
          SELECT bench.uuid('person', u), initcap(first) || ' ' || initcap(last), to_timestamp(${startEpoch}) FROM bench.person;
        INSERT INTO account (id, system, external_id, username, name, email, person_id, link_method, first_seen_at)
          SELECT bench.uuid('gitlab-account', u), 'gitlab', (5000 + u)::text, first || '.' || last, initcap(first) || ' ' || initcap(last),
                 first || '.' || last || '@example.com', bench.uuid('person', u), 'email', to_timestamp(${startEpoch}) FROM bench.person
          UNION ALL
          SELECT bench.uuid('buildkite-account', u), 'buildkite', bench.uuid('buildkite-user', u)::text, NULL, initcap(first) || ' ' || initcap(last),
                 first || '.' || last || '@example.com', bench.uuid('person', u), 'email', to_timestamp(${startEpoch}) FROM bench.person;`,
    },
    {
      name: "merge requests",
      sql: `
        CREATE TABLE bench.mr AS
          WITH base AS (
            SELECT m,
              floor(${P} * power(bench.r('mr-project', m), 2))::int AS p,
              floor(${U} * power(bench.r('mr-author', m), 1.5))::int AS author,
              ${startEpoch} + (m + bench.r('mr-time', m)) / ${M}.0 * ${span} AS t_open,
              3600 + bench.r('mr-merge', m) * 259200 AS merge_after,
              CASE WHEN m % 20 < 17 THEN 'merged' WHEN m % 20 = 17 THEN 'closed' ELSE 'opened' END AS state,
              ${pick(sqlArray(verbs), "(hashtext('v' || m) & 2147483647)")} || ' ' || ${pick(sqlArray(nouns), "(hashtext('n' || m) & 2147483647)")}
                || ' in ' || ${pick(sqlArray(areas), "(hashtext('a' || m) & 2147483647)")}
                || CASE WHEN m % 97 = 0 THEN ' (CVE-2026-' || (10000 + m % 40000) || ')' ELSE '' END AS title,
              ${pick(sqlArray(branchPrefixes), "m")} || '/' || replace(lower(${pick(sqlArray(nouns), "(hashtext('n' || m) & 2147483647)")}), ' ', '-') || '-' || m AS branch,
              ${pick(sqlArray(labels), "(hashtext('l' || m) & 2147483647)")} AS label,
              bench.sha('head', m) AS head_sha, bench.sha('merge', m) AS merge_sha, bench.sha('second', m) AS second_sha
            FROM generate_series(0, ${M - 1}) AS m
          )
          SELECT base.*, row_number() OVER (PARTITION BY p ORDER BY m)::int AS iid,
            (author + 1 + floor(bench.r('mr-merger', m) * ${U - 1})::int) % ${U} AS merger,
            CASE WHEN m % 37 = 0 THEN author ELSE (author + 1 + floor(bench.r('mr-approver', m) * ${U - 1})::int) % ${U} END AS approver1,
            CASE WHEN m % 2 = 0 THEN (author + 2 + floor(bench.r('mr-approver2', m) * ${U - 2})::int) % ${U} END AS approver2
          FROM base;
        ALTER TABLE bench.mr ADD COLUMN t_merge float8;
        UPDATE bench.mr SET t_merge = t_open + merge_after;
        CREATE TABLE bench.approval AS
          SELECT m, 1 AS n, approver1 AS u FROM bench.mr
          UNION ALL SELECT m, 2, approver2 FROM bench.mr WHERE approver2 IS NOT NULL AND approver2 <> approver1;
        CREATE INDEX ON bench.approval (m);
        INSERT INTO merge_request (id, project_id, external_id, iid, title, state, source_branch, target_branch, head_sha, merge_commit_sha,
            web_url, author_account_id, merged_by_account_id, opened_at, merged_at, closed_at, source_updated_at)
          SELECT bench.uuid('mr', m), bench.uuid('project', mr.p), (200000 + m)::text, iid, title, state, branch, 'main', head_sha,
            CASE WHEN state = 'merged' THEN merge_sha END, 'https://gitlab.example.com/' || pr.path || '/-/merge_requests/' || iid,
            bench.uuid('gitlab-account', author), CASE WHEN state = 'merged' THEN bench.uuid('gitlab-account', merger) END,
            bench.at(t_open), CASE WHEN state = 'merged' THEN bench.at(t_merge) END, CASE WHEN state = 'closed' THEN bench.at(t_merge) END,
            bench.at(CASE WHEN state = 'opened' THEN t_open + 600 ELSE t_merge END)
          FROM bench.mr mr JOIN bench.project pr USING (p);
        INSERT INTO merge_request_approval (merge_request_id, account_id, approved_at)
          SELECT bench.uuid('mr', a.m), bench.uuid('gitlab-account', a.u), bench.at(mr.t_open + 1800 * a.n + bench.r('approve', a.m) * 1800)
          FROM bench.approval a JOIN bench.mr mr USING (m);
        INSERT INTO commit (project_id, sha, message, title, author_name, author_email, committed_at, url)
          SELECT bench.uuid('project', mr.p), c.sha, c.title || E'\\n\\n' || mr.title, c.title, initcap(pe.first) || ' ' || initcap(pe.last),
                 pe.first || '.' || pe.last || '@example.com', bench.at(c.t), 'https://gitlab.example.com/' || pr.path || '/-/commit/' || c.sha
          FROM bench.mr mr JOIN bench.project pr USING (p) JOIN bench.person pe ON pe.u = mr.author
          CROSS JOIN LATERAL (VALUES (mr.second_sha, mr.title, mr.t_open - 900), (mr.head_sha, 'Address review comments', mr.t_open - 60),
                                     (CASE WHEN mr.state = 'merged' THEN mr.merge_sha END, 'Merge branch ''' || mr.branch || ''' into ''main''', mr.t_merge)) AS c(sha, title, t)
          WHERE c.sha IS NOT NULL;
        INSERT INTO merge_request_commit (merge_request_id, sha)
          SELECT bench.uuid('mr', m), sha FROM bench.mr CROSS JOIN LATERAL (VALUES (second_sha), (head_sha)) AS c(sha);`,
    },
    {
      name: "pipelines and jobs",
      sql: `
        CREATE TABLE bench.pipeline AS
          SELECT mr.m, k, mr.p, mr.m * 2 + k AS n, (300000 + mr.m * 2 + k)::text AS ext,
            CASE WHEN k = 1 THEN mr.head_sha ELSE mr.merge_sha END AS sha,
            CASE WHEN k = 1 THEN mr.branch ELSE 'main' END AS ref,
            CASE WHEN k = 1 THEN 'merge_request_event' ELSE 'push' END AS source,
            CASE WHEN bench.r('pipeline-status', mr.m * 2 + k) < 0.9 THEN 'success' ELSE 'failed' END AS status,
            CASE WHEN k = 1 THEN mr.author ELSE mr.merger END AS u,
            CASE WHEN k = 1 THEN mr.t_open + 120 ELSE mr.t_merge + 30 END AS t_created,
            (k = 1 AND (mr.m % 10 < 3 OR (mr.m % 10 = 3 AND mr.m < ${10 * waiting}))) AS review
          FROM bench.mr mr CROSS JOIN (VALUES (1), (2)) AS kk(k)
          WHERE k = 1 OR mr.state = 'merged';
        CREATE TABLE bench.job AS
          SELECT pl.*, j, (2000000 + pl.n * 4 + j)::text AS job_ext,
            CASE WHEN pl.k = 1 THEN (ARRAY['lint', 'test', 'build', CASE WHEN pl.review THEN 'deploy-review' ELSE 'security-scan' END])[j + 1]
                 ELSE (ARRAY['test', 'build', 'package', 'deploy-staging'])[j + 1] END AS name,
            CASE WHEN j = 3 AND pl.review THEN 'review/' || pl.ref WHEN j = 3 AND pl.k = 2 THEN 'staging' END AS environment,
            CASE WHEN j = 3 AND pl.status = 'failed' THEN 'failed' ELSE 'success' END AS job_status,
            pl.t_created + 20 + j * 180 + bench.r('job-start', pl.n * 4 + j) * 60 AS t_start
          FROM bench.pipeline pl CROSS JOIN generate_series(0, 3) AS j;
        INSERT INTO pipeline (id, project_id, external_id, ref, sha, source, status, merge_request_iid, triggered_by_account_id, web_url, created_at, finished_at)
          SELECT bench.uuid('pipeline', pl.n), bench.uuid('project', pl.p), pl.ext, pl.ref, pl.sha, pl.source, pl.status,
            CASE WHEN pl.k = 1 THEN mr.iid END, bench.uuid('gitlab-account', pl.u), 'https://gitlab.example.com/' || pr.path || '/-/pipelines/' || pl.ext,
            bench.at(pl.t_created), bench.at(pl.t_created + 900 + bench.r('pipeline-duration', pl.n) * 600)
          FROM bench.pipeline pl JOIN bench.mr mr USING (m) JOIN bench.project pr ON pr.p = pl.p;
        INSERT INTO ci_job (id, pipeline_id, project_id, external_id, name, stage, status, ref, sha, environment, user_account_id, started_at, finished_at)
          SELECT bench.uuid('job', n * 4 + j), bench.uuid('pipeline', n), bench.uuid('project', p), job_ext, name,
            CASE WHEN j = 3 THEN 'deploy' ELSE 'test' END, job_status, ref, sha, environment, bench.uuid('gitlab-account', u),
            bench.at(t_start), bench.at(t_start + 120 + bench.r('job-duration', n * 4 + j) * 240)
          FROM bench.job;`,
    },
    {
      name: "builds, gates and deployments",
      sql: `
        CREATE TABLE bench.build AS
          SELECT mr.m, mr.p, mr.merge_sha AS sha, mr.title, mr.iid, mr.merger, pr.path, replace(pr.path, '/', '-') AS slug,
            row_number() OVER (PARTITION BY mr.p ORDER BY mr.m)::int AS number, bench.uuid('build', mr.m)::text AS ext,
            CASE WHEN mr.m >= ${M} - 60 AND mr.m % 3 = 0 THEN 'blocked' WHEN mr.m % 100 = 97 THEN 'canceled'
                 WHEN mr.m % 100 >= 90 THEN 'failed' ELSE 'passed' END AS state,
            (mr.merger + 7) % ${U} AS gatekeeper, mr.t_merge + 60 AS t_created
          FROM bench.mr mr JOIN bench.project pr USING (p) WHERE mr.state = 'merged';
        INSERT INTO build (id, external_id, organization, pipeline_slug, number, state, blocked, commit_sha, branch, message, source, web_url,
            creator_account_id, author_name, author_email, meta_data, gitlab_project_path, gitlab_pipeline_id, gitlab_mr_iid, created_at, started_at, finished_at)
          SELECT bench.uuid('build-row', m), ext, 'acme', slug, number, state, state IN ('blocked', 'canceled'), sha, 'main', title, 'webhook',
            'https://buildkite.com/acme/' || slug || '/builds/' || number, bench.uuid('buildkite-account', merger),
            initcap(pe.first) || ' ' || initcap(pe.last), pe.first || '.' || pe.last || '@example.com',
            jsonb_build_object('GITLAB_PROJECT_PATH', path, 'GITLAB_PIPELINE_ID', (300000 + m * 2 + 2)::text, 'GITLAB_MR_IID', iid::text),
            path, (300000 + m * 2 + 2)::text, iid, bench.at(t_created), bench.at(t_created + 30),
            CASE WHEN state <> 'blocked' THEN bench.at(t_created + 1500) END
          FROM bench.build b JOIN bench.person pe ON pe.u = b.merger;
        CREATE TABLE bench.build_job AS
          SELECT b.*, j, bench.uuid('build-job', b.m * 4 + j)::text AS job_ext,
            (ARRAY['test', 'package', 'approve-production', 'deploy-production'])[j + 1] AS step_key,
            (ARRAY[':test_tube: Test', ':package: Package', ':rocket: Deploy to production?', ':rocket: Deploy production'])[j + 1] AS label,
            CASE WHEN j = 2 THEN 'manual' ELSE 'script' END AS type,
            CASE WHEN j = 2 THEN CASE WHEN b.state IN ('blocked', 'canceled') THEN 'blocked' ELSE 'unblocked' END
                 WHEN j = 3 THEN CASE b.state WHEN 'passed' THEN 'passed' WHEN 'failed' THEN 'failed' END
                 ELSE 'passed' END AS job_state,
            b.t_created + 40 + j * 300 AS t_start
          FROM bench.build b CROSS JOIN generate_series(0, 3) AS j;
        DELETE FROM bench.build_job WHERE job_state IS NULL;
        INSERT INTO build_job (id, build_id, external_id, type, label, step_key, state, environment, unblockable, unblocked_by_account_id, unblocked_at,
            agent_name, exit_status, started_at, finished_at)
          SELECT bench.uuid('build-job-row', m * 4 + j), bench.uuid('build-row', m), job_ext, type, label, step_key, job_state,
            CASE WHEN j = 3 THEN 'production' END, CASE WHEN j = 2 THEN job_state = 'blocked' END,
            CASE WHEN j = 2 AND job_state = 'unblocked' THEN bench.uuid('buildkite-account', gatekeeper) END,
            CASE WHEN j = 2 AND job_state = 'unblocked' THEN bench.at(t_start + 120) END,
            CASE WHEN type = 'script' THEN 'agent-' || (m % 40) END, CASE WHEN job_state = 'failed' THEN 1 WHEN type = 'script' THEN 0 END,
            CASE WHEN type = 'script' THEN bench.at(t_start) END, CASE WHEN type = 'script' THEN bench.at(t_start + 200) END
          FROM bench.build_job;
        INSERT INTO deployment (id, provider, external_id, project_id, environment, status, commit_sha, short_sha, ref, pipeline_external_id,
            job_external_id, build_external_id, triggered_by_account_id, web_url, started_at, finished_at, occurred_at)
          SELECT bench.uuid('deploy-buildkite', m), 'buildkite', job_ext, NULL, 'production', CASE job_state WHEN 'passed' THEN 'success' ELSE 'failed' END,
            sha, NULL, 'main', NULL, job_ext, ext, NULL, 'https://buildkite.com/acme/' || slug || '/builds/' || number,
            bench.at(t_start), bench.at(t_start + 200), bench.at(t_start)
          FROM bench.build_job WHERE j = 3
          UNION ALL
          SELECT bench.uuid('deploy-gitlab', job.n), 'gitlab', pr.ext || ':' || (600000 + job.n), bench.uuid('project', job.p), job.environment,
            CASE job.job_status WHEN 'success' THEN 'success' ELSE 'failed' END, job.sha, left(job.sha, 8), job.ref, job.ext, job.job_ext, NULL,
            bench.uuid('gitlab-account', job.u), 'https://gitlab.example.com/' || pr.path || '/-/jobs/' || job.job_ext,
            bench.at(job.t_start), bench.at(job.t_start + 180), bench.at(job.t_start + 180)
          FROM bench.job job JOIN bench.project pr USING (p) WHERE job.environment IS NOT NULL;`,
    },
    {
      name: "credentials and role sessions",
      sql: `
        INSERT INTO credential (id, key, kind, provider, issuer, subject, audience, jti, issued_at, not_before, expires_at, job_external_id,
            pipeline_external_id, pipeline_slug, ref, ref_protected, sha, environment, user_login, step_key, claims)
          SELECT bench.uuid('credential-buildkite', m), 'https://agent.buildkite.com:' || bench.uuid('jti-buildkite', m), 'oidc', 'buildkite',
            'https://agent.buildkite.com', 'organization:acme:pipeline:' || slug || ':ref:refs/heads/main:commit:' || sha || ':step:deploy-production',
            'sts.amazonaws.com', bench.uuid('jti-buildkite', m)::text, bench.at(t_start + 5), bench.at(t_start + 5),
            bench.at(t_start + 5 + CASE WHEN m % 50 = 0 THEN 7200 ELSE 600 END), job_ext, NULL, slug, 'refs/heads/main', 'true', sha, 'production', NULL,
            'deploy-production', '{}'::jsonb
          FROM bench.build_job WHERE j = 3
          UNION ALL
          SELECT bench.uuid('credential-gitlab', job.n), 'https://gitlab.example.com:' || bench.uuid('jti-gitlab', job.n), 'oidc', 'gitlab',
            'https://gitlab.example.com', 'project_path:' || pr.path || ':ref_type:branch:ref:' || job.ref, 'https://vault.example.com',
            bench.uuid('jti-gitlab', job.n)::text, bench.at(job.t_start + 5), bench.at(job.t_start + 5), bench.at(job.t_start + 305), job.job_ext, job.ext,
            NULL, job.ref, CASE WHEN job.ref = 'main' THEN 'true' ELSE 'false' END, job.sha, job.environment, pe.first || '.' || pe.last, NULL, '{}'::jsonb
          FROM bench.job job JOIN bench.project pr USING (p) JOIN bench.person pe ON pe.u = job.u WHERE job.environment IS NOT NULL;
        INSERT INTO role_session (id, event_id, role_arn, session_name, subject, audience, provider, source_ip, issued_at, expires_at, access_key_id,
            account_id, error_code, job_external_id)
          SELECT bench.uuid('role-session', m), bench.uuid('cloudtrail-event', m)::text, 'arn:aws:iam::123456789012:role/deploy-' || slug,
            'buildkite-job-' || job_ext, 'organization:acme:pipeline:' || slug || ':ref:refs/heads/main:commit:' || sha || ':step:deploy-production',
            'sts.amazonaws.com', 'arn:aws:iam::123456789012:oidc-provider/agent.buildkite.com', '10.20.' || (m % 250) || '.' || (m % 200 + 1),
            bench.at(t_start + 7), bench.at(t_start + 3607), 'ASIA' || upper(left(md5('akid' || m), 16)), '123456789012', NULL, job_ext
          FROM bench.build_job WHERE j = 3;`,
    },
    {
      name: "timeline events",
      sql: `
        CREATE UNLOGGED TABLE bench.ev (
          t float8, kind text, source text, event_type text, project_path text, environment text, actor text, account_id uuid,
          title text, sha text, refs text[], entity_type text, entity_key text, evidence_types text[], evidence_keys text[]);
        -- Merge requests: opened, approved (per approver), merged or closed, and an update in between.
        INSERT INTO bench.ev
          SELECT x.t, 'merge_request.' || x.verb, 'gitlab', 'Merge Request Hook', pr.path, NULL, pe.first || '.' || pe.last, bench.uuid('gitlab-account', x.u),
            pe.first || '.' || pe.last || ' ' || x.verb || ' ' || pr.path || '!' || mr.iid || ': ' || mr.title, coalesce(x.merge_sha, mr.head_sha),
            ARRAY[pr.path || '!' || mr.iid, mr.head_sha] || CASE WHEN x.merge_sha IS NOT NULL THEN ARRAY[x.merge_sha] ELSE '{}' END || ARRAY[mr.branch, mr.label],
            'merge_request', 'gitlab:mr:' || pr.ext || ':' || mr.iid, x.types, x.keys || ('gitlab:mr:' || pr.ext || ':' || mr.iid)
          FROM bench.mr mr JOIN bench.project pr USING (p)
          CROSS JOIN LATERAL (
            SELECT mr.t_open AS t, 'opened' AS verb, mr.author AS u, NULL::text AS merge_sha, ARRAY['project', 'merge_request'] AS types,
                   ARRAY['gitlab:project:' || pr.ext] AS keys
            UNION ALL SELECT mr.t_open + 900, 'updated', mr.author, NULL, ARRAY['project', 'merge_request'], ARRAY['gitlab:project:' || pr.ext]
            UNION ALL SELECT mr.t_open + 1800 * a.n + bench.r('approve', mr.m) * 1800, 'approved', a.u, NULL, ARRAY['project', 'approval', 'merge_request'],
                   ARRAY['gitlab:project:' || pr.ext, 'gitlab:mr-approval:' || pr.ext || ':' || mr.iid || ':' || (5000 + a.u)]
              FROM bench.approval a WHERE a.m = mr.m
            UNION ALL SELECT mr.t_merge, CASE mr.state WHEN 'merged' THEN 'merged' ELSE 'closed' END, mr.merger,
                   CASE WHEN mr.state = 'merged' THEN mr.merge_sha END, ARRAY['project', 'merge_request'], ARRAY['gitlab:project:' || pr.ext]
              WHERE mr.state <> 'opened'
          ) AS x
          JOIN bench.person pe ON pe.u = x.u;
        -- Pushes: the branch, and main after the merge.
        INSERT INTO bench.ev
          SELECT x.t, 'push', 'gitlab', 'Push Hook', pr.path, NULL, pe.first || '.' || pe.last, bench.uuid('gitlab-account', x.u),
            pe.first || '.' || pe.last || ' pushed to ' || x.ref || ' (' || x.n || ' commit(s))', x.sha, ARRAY[x.ref] || x.shas,
            NULL, NULL, ARRAY['project'] || array_fill('commit'::text, ARRAY[cardinality(x.shas)]),
            ARRAY['gitlab:project:' || pr.ext] || ARRAY(SELECT 'gitlab:commit:' || pr.ext || ':' || s FROM unnest(x.shas) AS s)
          FROM bench.mr mr JOIN bench.project pr USING (p)
          CROSS JOIN LATERAL (
            SELECT mr.t_open - 60 AS t, mr.branch AS ref, mr.author AS u, mr.head_sha AS sha, ARRAY[mr.second_sha, mr.head_sha] AS shas, 2 AS n
            UNION ALL SELECT mr.t_merge, 'main', mr.merger, mr.merge_sha, ARRAY[mr.merge_sha], 1 WHERE mr.state = 'merged'
          ) AS x
          JOIN bench.person pe ON pe.u = x.u;
        -- Pipelines: running, then their result.
        INSERT INTO bench.ev
          SELECT x.t, 'pipeline.' || x.status, 'gitlab', 'Pipeline Hook', pr.path, NULL, pe.first || '.' || pe.last, bench.uuid('gitlab-account', pl.u),
            'Pipeline #' || pl.ext || ' ' || x.status || ' on ' || pl.ref || ' (' || pr.path || ')' || CASE WHEN pl.k = 1 THEN ' for !' || mr.iid ELSE '' END,
            pl.sha, ARRAY[pl.ext, '#' || pl.ext, pl.sha, pl.ref], 'pipeline', 'gitlab:pipeline:' || pr.ext || ':' || pl.ext,
            ARRAY['project', 'account', 'pipeline'], ARRAY['gitlab:project:' || pr.ext, 'gitlab:user:' || (5000 + pl.u), 'gitlab:pipeline:' || pr.ext || ':' || pl.ext]
          FROM bench.pipeline pl JOIN bench.mr mr USING (m) JOIN bench.project pr ON pr.p = pl.p JOIN bench.person pe ON pe.u = pl.u
          CROSS JOIN LATERAL (VALUES (pl.t_created + 5, 'running'), (pl.t_created + 900 + bench.r('pipeline-duration', pl.n) * 600, pl.status)) AS x(t, status);
        -- GitLab jobs: running, then their result.
        INSERT INTO bench.ev
          SELECT x.t, 'job.' || x.status, 'gitlab', 'Job Hook', pr.path, job.environment, pe.first || '.' || pe.last, bench.uuid('gitlab-account', job.u),
            'Job ' || job.name || ' #' || job.job_ext || ' ' || x.status || CASE WHEN job.environment IS NOT NULL THEN ' (environment ' || job.environment || ')' ELSE '' END,
            job.sha, ARRAY[job.job_ext, job.ext, job.sha], 'ci_job', 'gitlab:job:' || pr.ext || ':' || job.job_ext,
            ARRAY['project', 'pipeline', 'ci_job'], ARRAY['gitlab:project:' || pr.ext, 'gitlab:pipeline:' || pr.ext || ':' || job.ext, 'gitlab:job:' || pr.ext || ':' || job.job_ext]
          FROM bench.job job JOIN bench.project pr USING (p) JOIN bench.person pe ON pe.u = job.u
          CROSS JOIN LATERAL (VALUES (job.t_start, 'running'), (job.t_start + 120 + bench.r('job-duration', job.n * 4 + job.j) * 240, job.job_status)) AS x(t, status);
        -- GitLab deployments: running, then their result.
        INSERT INTO bench.ev
          SELECT x.t, 'deployment.' || x.status, 'gitlab', 'Deployment Hook', pr.path, job.environment, pe.first || '.' || pe.last, bench.uuid('gitlab-account', job.u),
            'Deploy of ' || pr.path || ' to ' || job.environment || ' ' || x.status || ' (' || left(job.sha, 8) || ')', job.sha,
            ARRAY[(600000 + job.n)::text, job.job_ext, left(job.sha, 8)], 'deployment', 'gitlab:deployment:' || pr.ext || ':' || (600000 + job.n),
            ARRAY['project', 'account', 'deployment'], ARRAY['gitlab:project:' || pr.ext, 'gitlab:user:' || (5000 + job.u), 'gitlab:deployment:' || pr.ext || ':' || (600000 + job.n)]
          FROM bench.job job JOIN bench.project pr USING (p) JOIN bench.person pe ON pe.u = job.u
          CROSS JOIN LATERAL (VALUES (job.t_start + 2, 'running'), (job.t_start + 180, CASE job.job_status WHEN 'success' THEN 'success' ELSE 'failed' END)) AS x(t, status)
          WHERE job.environment IS NOT NULL;
        -- Buildkite builds: scheduled, running, blocked at the gate, finished.
        INSERT INTO bench.ev
          SELECT x.t, x.kind, 'buildkite', x.kind, NULL, NULL, initcap(pe.first) || ' ' || initcap(pe.last), bench.uuid('buildkite-account', b.merger),
            'Build ' || b.slug || ' #' || b.number || ' ' || x.what, b.sha, ARRAY[b.slug || '#' || b.number, b.number::text, b.sha, 'main'],
            'build', 'buildkite:build:' || b.ext, ARRAY['account', 'build'], ARRAY['buildkite:user:' || bench.uuid('buildkite-user', b.merger), 'buildkite:build:' || b.ext]
          FROM bench.build b JOIN bench.person pe ON pe.u = b.merger
          CROSS JOIN LATERAL (
            SELECT b.t_created AS t, 'build.scheduled' AS kind, 'scheduled' AS what
            UNION ALL SELECT b.t_created + 30, 'build.running', 'running'
            UNION ALL SELECT b.t_created + 640, 'build.finished', 'blocked at a gate'
            UNION ALL SELECT b.t_created + 1500, 'build.finished', b.state WHERE b.state NOT IN ('blocked', 'canceled')
          ) AS x;
        -- Buildkite jobs: command steps started and finished, the gate unblocked, the deploy step as deploy.*.
        INSERT INTO bench.ev
          SELECT x.t, x.kind, 'buildkite', x.event_type, NULL, CASE WHEN bj.j = 3 THEN 'production' END, x.actor, x.account_id,
            CASE WHEN bj.type = 'manual' THEN 'Gate' ELSE 'Job' END || ' "' || bj.label || '" of ' || bj.slug || ' #' || bj.number || ' ' || x.verb
              || CASE WHEN bj.j = 3 THEN ' (deploy to production)' ELSE '' END,
            bj.sha, ARRAY[bj.slug || '#' || bj.number, bj.number::text, bj.sha, 'main', bj.job_ext, bj.step_key],
            'build_job', 'buildkite:job:' || bj.job_ext,
            ARRAY['build', 'build_job'] || CASE WHEN bj.j = 3 THEN ARRAY['deployment'] ELSE '{}' END,
            ARRAY['buildkite:build:' || bj.ext, 'buildkite:job:' || bj.job_ext] || CASE WHEN bj.j = 3 THEN ARRAY['buildkite:deployment:' || bj.job_ext] ELSE '{}' END
          FROM bench.build_job bj LEFT JOIN bench.person pe ON pe.u = bj.gatekeeper
          CROSS JOIN LATERAL (
            SELECT bj.t_start AS t, CASE WHEN bj.j = 3 THEN 'deploy.running' ELSE 'job.started' END AS kind, 'job.started' AS event_type, 'running' AS verb,
                   NULL::text AS actor, NULL::uuid AS account_id WHERE bj.type = 'script'
            UNION ALL SELECT bj.t_start + 200, CASE WHEN bj.j = 3 THEN 'deploy.' || bj.job_state ELSE 'job.finished' END, 'job.finished', bj.job_state, NULL, NULL
              WHERE bj.type = 'script'
            UNION ALL SELECT bj.t_start + 120, 'gate.unblocked', 'job.activated', 'unblocked by ' || initcap(pe.first) || ' ' || initcap(pe.last),
                   initcap(pe.first) || ' ' || initcap(pe.last), bench.uuid('buildkite-account', bj.gatekeeper)
              WHERE bj.type = 'manual' AND bj.job_state = 'unblocked'
          ) AS x;
        -- Credentials the deploy jobs held, and the AWS role sessions.
        INSERT INTO bench.ev
          SELECT extract(epoch FROM c.issued_at), 'credential.issued', 'credentials', 'oidc', NULL, c.environment, c.user_login, NULL,
            'OIDC token issued by ' || c.issuer || ' to ' || c.subject || ' for ' || c.audience, c.sha, ARRAY[c.subject, c.jti, c.job_external_id],
            'credential', c.key, ARRAY['credential'], ARRAY[c.key]
          FROM credential c;
        INSERT INTO bench.ev
          SELECT extract(epoch FROM s.issued_at), 'role_session.issued', 'credentials', 'cloudtrail', NULL, NULL, NULL, NULL,
            'AWS role session ' || s.session_name || ' on ' || s.role_arn || ' for ' || s.subject, NULL, ARRAY[s.session_name, s.job_external_id, s.access_key_id],
            'role_session', 'role-session:aws:' || s.event_id, ARRAY['role_session'], ARRAY['role-session:aws:' || s.event_id]
          FROM role_session s;
        -- Releases now and then, and Buildkite agents coming and going: the rest of the stream.
        INSERT INTO bench.ev
          SELECT mr.t_merge + 3600, 'release.create', 'gitlab', 'Release Hook', pr.path, NULL, NULL, NULL,
            'Release v' || (mr.m / 50) || '.0.0 created in ' || pr.path, mr.merge_sha, ARRAY['v' || (mr.m / 50) || '.0.0', mr.merge_sha],
            NULL, NULL, ARRAY['project'], ARRAY['gitlab:project:' || pr.ext]
          FROM bench.mr mr JOIN bench.project pr USING (p) WHERE mr.m % 50 = 0 AND mr.state = 'merged';
        DELETE FROM bench.ev WHERE t > ${endEpoch};
        INSERT INTO bench.ev
          SELECT ${startEpoch} + (i + bench.r('agent', i)) / greatest(1, ${size.events} - c.n) * ${span},
            CASE WHEN i % 2 = 0 THEN 'buildkite.agent.connected' ELSE 'buildkite.agent.disconnected' END, 'buildkite',
            CASE WHEN i % 2 = 0 THEN 'agent.connected' ELSE 'agent.disconnected' END, NULL, NULL, NULL, NULL,
            'Agent agent-' || (i / 2 % 40) || '-' || (i / 80) || CASE WHEN i % 2 = 0 THEN ' connected' ELSE ' disconnected' END, NULL,
            ARRAY['agent-' || (i / 2 % 40) || '-' || (i / 80)], NULL, NULL, '{}', '{}'
          FROM (SELECT count(*)::int AS n FROM bench.ev) AS c, generate_series(0, greatest(0, ${size.events} - c.n - 1)) AS i;
        CREATE TABLE bench.ev_sorted AS
          SELECT row_number() OVER (ORDER BY t, kind, title) AS n, * FROM bench.ev ORDER BY t, kind, title;
        DROP TABLE bench.ev;`,
    },
    {
      name: "deliveries and evidence",
      sql: `
        INSERT INTO delivery (id, source, origin, event_type, dedupe_key, body, headers, sha256, byte_length, verify_method, verify_result,
            received_at, processing_state, processing_error, attempts, processed_at)
          SELECT bench.uuid('delivery', n), source::"Source", 'webhook', event_type, 'bench:' || n, body, '{}'::jsonb, encode(sha256(body), 'hex'),
            length(body), 'bench', 'ok', received_at, CASE WHEN n % 1000 = 0 THEN 'failed' ELSE 'processed' END::"ProcessingState",
            CASE WHEN n % 1000 = 0 THEN 'bench: simulated failure' END, 1, received_at + interval '40 milliseconds'
          FROM (SELECT n, source, event_type, convert_to(json_build_object('bench', n, 'kind', kind, 'title', title)::text, 'UTF8') AS body,
                       bench.at(t + 0.2 + bench.r('lag', n) * 2) AS received_at FROM bench.ev_sorted) AS d;
        INSERT INTO fact_evidence (entity_type, entity_id, delivery_id)
          SELECT x.type, x.key, bench.uuid('delivery', e.n)
          FROM bench.ev_sorted e CROSS JOIN LATERAL unnest(e.evidence_types, e.evidence_keys) AS x(type, key);
        INSERT INTO timeline_event (key, occurred_at, kind, source, project_path, environment, actor, account_id, title, sha, refs, entity_type, entity_id, delivery_id)
          SELECT bench.uuid('delivery', n) || ':0', bench.at(t), kind, source, project_path, environment, actor, account_id, left(title, 500), sha,
            ARRAY(SELECT DISTINCT r FROM unnest(refs) AS r WHERE r IS NOT NULL), entity_type, entity_key, bench.uuid('delivery', n)
          FROM bench.ev_sorted ORDER BY n;
        INSERT INTO ingest_rejection (source, reason, hour, count, last_at)
          SELECT 'gitlab', 'bad token', date_trunc('hour', to_timestamp(${endEpoch}) - h * interval '1 hour'), 1 + h % 3, to_timestamp(${endEpoch}) - h * interval '1 hour'
          FROM generate_series(0, 47) AS h;`,
    },
  ];
}

/** Runs the generator in one session (each step in its own transaction). */
export async function runSeed(client: pg.Client, size: TSeedSize, end: Date, log: (line: string) => void): Promise<void> {
  for (const step of seedSteps(size, end)) {
    const started = performance.now();
    await client.query(step.sql);
    log(`  ${step.name}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
}
