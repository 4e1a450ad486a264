import "server-only";

/**
 * SQL (a statement usable as a subquery) selecting `key`: the fact_evidence entity ids a set of
 * deployments rests on, exactly as their deploy receipts link them. `deployments` is a query over
 * `deployment` returning its columns (`SELECT * FROM deployment WHERE ...`); it may use the caller's
 * parameters. The deployment itself; its deploying build and (GitLab) job; the SHA deployed (the
 * deployment's, else the job's, else the build's); merge requests by merge, squash or head SHA or
 * named in the build's meta-data, with every approval; pipelines on the SHA or an MR's head SHA,
 * named in the build's meta-data or holding the deploy job, with their jobs; builds that deployed,
 * of the SHA or created by those pipelines, with their jobs; credentials those jobs held and AWS
 * role sessions by job or by a credential's subject. Each link is a union of per-deployment links,
 * so the keys of a set are the union of each deployment's keys: one set-based statement serves a
 * single receipt and a whole period alike.
 */
export function buildEvidenceKeysSql(deployments: string): string {
  return `WITH dep AS MATERIALIZED (${deployments}),
  chain AS MATERIALIZED (
    SELECT b.id AS build_id, nullif(b.gitlab_pipeline_id, '') AS gitlab_pipeline_id, j.pipeline_id AS job_pipeline_id,
           CASE WHEN b.gitlab_mr_iid <> 0 AND b.gitlab_project_path <> '' THEN b.gitlab_mr_iid END AS meta_mr_iid, b.gitlab_project_path AS meta_mr_path,
           nullif(coalesce(d.commit_sha, j.sha, b.commit_sha), '') AS sha
    FROM dep d
    LEFT JOIN build b ON d.build_external_id <> '' AND b.external_id = d.build_external_id
    LEFT JOIN ci_job j ON d.provider = 'gitlab' AND d.job_external_id <> '' AND j.project_id = d.project_id AND j.external_id = d.job_external_id
  ),
  mr AS MATERIALIZED (
    SELECT m.id, m.iid, m.head_sha, p.external_id AS project_external_id
    FROM (SELECT id FROM merge_request WHERE merge_commit_sha IN (SELECT sha FROM chain)
          UNION SELECT id FROM merge_request WHERE squash_commit_sha IN (SELECT sha FROM chain)
          UNION SELECT id FROM merge_request WHERE head_sha IN (SELECT sha FROM chain)
          UNION SELECT (SELECT m2.id FROM merge_request m2 JOIN project p2 ON p2.id = m2.project_id WHERE m2.iid = c.meta_mr_iid AND p2.path = c.meta_mr_path LIMIT 1)
                FROM chain c WHERE c.meta_mr_iid IS NOT NULL) ids
    JOIN merge_request m ON m.id = ids.id JOIN project p ON p.id = m.project_id
  ),
  pl AS MATERIALIZED (
    SELECT p.id, p.external_id, pr.external_id AS project_external_id
    FROM (SELECT id FROM pipeline WHERE sha IN (SELECT sha FROM chain UNION SELECT head_sha FROM mr WHERE head_sha <> '')
          UNION SELECT id FROM pipeline WHERE external_id IN (SELECT gitlab_pipeline_id FROM chain)
          UNION SELECT job_pipeline_id FROM chain) ids
    JOIN pipeline p ON p.id = ids.id JOIN project pr ON pr.id = p.project_id
  ),
  glj AS MATERIALIZED (SELECT j.external_id, pl.project_external_id FROM pl JOIN ci_job j ON j.pipeline_id = pl.id),
  bld AS MATERIALIZED (
    SELECT b.id, b.external_id
    FROM (SELECT build_id AS id FROM chain
          UNION SELECT id FROM build WHERE commit_sha IN (SELECT sha FROM chain)
          UNION SELECT id FROM build WHERE gitlab_pipeline_id IN (SELECT external_id FROM pl)) ids
    JOIN build b ON b.id = ids.id
  ),
  bkj AS MATERIALIZED (SELECT bj.external_id FROM bld JOIN build_job bj ON bj.build_id = bld.id),
  cred AS MATERIALIZED (
    SELECT key, subject FROM credential WHERE provider = 'buildkite' AND job_external_id IN (SELECT external_id FROM bkj)
    UNION SELECT key, subject FROM credential WHERE provider = 'gitlab' AND job_external_id IN (SELECT external_id FROM glj)
  )
  SELECT CASE WHEN provider = 'gitlab' THEN 'gitlab:deployment:' ELSE 'buildkite:deployment:' END || external_id AS key FROM dep
  UNION ALL SELECT 'gitlab:mr:' || project_external_id || ':' || iid FROM mr
  UNION ALL SELECT 'gitlab:mr-approval:' || mr.project_external_id || ':' || mr.iid || ':' || a.external_id
            FROM mr JOIN merge_request_approval ma ON ma.merge_request_id = mr.id JOIN account a ON a.id = ma.account_id
  UNION ALL SELECT 'gitlab:pipeline:' || project_external_id || ':' || external_id FROM pl
  UNION ALL SELECT 'gitlab:job:' || project_external_id || ':' || external_id FROM glj
  UNION ALL SELECT 'buildkite:build:' || external_id FROM bld
  UNION ALL SELECT 'buildkite:job:' || external_id FROM bkj
  UNION ALL SELECT key FROM cred
  UNION ALL SELECT 'role-session:aws:' || r.event_id
            FROM (SELECT id FROM role_session WHERE job_external_id IN (SELECT external_id FROM bkj)
                  UNION SELECT id FROM role_session WHERE subject IN (SELECT subject FROM cred)) ids
            JOIN role_session r ON r.id = ids.id`;
}
