import type pg from "pg";

/** The provenance graph with row ids replaced by natural keys, so two databases can be compared. */
export async function graphSnapshot(pool: pg.Pool): Promise<Record<string, unknown[]>> {
  const q = async (sql: string) => (await pool.query(sql)).rows;
  return {
    accounts: await q("SELECT system, external_id, username, name, email FROM account ORDER BY system, external_id"),
    projects: await q("SELECT provider, external_id, path, name, web_url, default_branch FROM project ORDER BY external_id"),
    mergeRequests: await q(`SELECT p.external_id AS project, m.iid, m.title, m.state, m.source_branch, m.target_branch, m.head_sha, m.merge_commit_sha,
        a.external_id AS author, mb.external_id AS merged_by, m.opened_at, m.merged_at, m.closed_at
      FROM merge_request m JOIN project p ON p.id = m.project_id LEFT JOIN account a ON a.id = m.author_account_id
      LEFT JOIN account mb ON mb.id = m.merged_by_account_id ORDER BY p.external_id, m.iid`),
    approvals: await q(`SELECT m.iid, a.external_id AS approver, ap.approved_at, ap.revoked_at FROM merge_request_approval ap
      JOIN merge_request m ON m.id = ap.merge_request_id JOIN account a ON a.id = ap.account_id ORDER BY m.iid, a.external_id`),
    commits: await q("SELECT sha, title, author_name, committed_at FROM commit ORDER BY sha"),
    mrCommits: await q("SELECT m.iid, c.sha FROM merge_request_commit c JOIN merge_request m ON m.id = c.merge_request_id ORDER BY m.iid, c.sha"),
    pipelines: await q(`SELECT p.external_id, p.ref, p.sha, p.source, p.status, p.merge_request_iid, a.external_id AS triggered_by, p.created_at, p.finished_at
      FROM pipeline p LEFT JOIN account a ON a.id = p.triggered_by_account_id ORDER BY p.external_id`),
    ciJobs: await q(`SELECT j.external_id, pl.external_id AS pipeline, j.name, j.stage, j.status, j.environment, a.external_id AS user_id, j.started_at, j.finished_at
      FROM ci_job j LEFT JOIN pipeline pl ON pl.id = j.pipeline_id LEFT JOIN account a ON a.id = j.user_account_id ORDER BY j.external_id`),
    builds: await q(`SELECT b.external_id, b.pipeline_slug, b.number, b.state, b.blocked, b.commit_sha, b.branch, a.external_id AS creator,
        b.gitlab_project_path, b.gitlab_pipeline_id, b.gitlab_job_id, b.gitlab_mr_iid, b.created_at, b.started_at, b.finished_at
      FROM build b LEFT JOIN account a ON a.id = b.creator_account_id ORDER BY b.external_id`),
    buildJobs: await q(`SELECT j.external_id, b.external_id AS build, j.type, j.label, j.step_key, j.state, j.environment, a.external_id AS unblocked_by,
        j.unblocked_at, j.started_at, j.finished_at
      FROM build_job j JOIN build b ON b.id = j.build_id LEFT JOIN account a ON a.id = j.unblocked_by_account_id ORDER BY j.external_id`),
    deployments: await q(`SELECT d.provider, d.external_id, d.environment, d.status, d.commit_sha, d.short_sha, d.job_external_id, d.build_external_id,
        a.external_id AS triggered_by, d.started_at, d.finished_at, d.occurred_at
      FROM deployment d LEFT JOIN account a ON a.id = d.triggered_by_account_id ORDER BY d.provider, d.external_id`),
    timeline: await q(`SELECT t.kind, t.occurred_at, t.title, t.sha, t.refs FROM timeline_event t JOIN delivery d ON d.id = t.delivery_id
      -- Pings, agent events and tag pushes carry no time of their own; they are placed at arrival time.
      WHERE t.kind NOT LIKE 'buildkite.%' AND t.kind <> 'tag.push' ORDER BY t.occurred_at, t.kind, t.title`),
  };
}

export async function truncateAll(pool: pg.Pool): Promise<void> {
  await pool.query(`TRUNCATE delivery, fact, fact_evidence, timeline_event, ingest_rejection, merge_request_approval, merge_request_commit,
    commit, ci_job, pipeline, build_job, build, deployment, merge_request, project, account, person CASCADE`);
  await pool.query("DELETE FROM graphile_worker.jobs").catch(() => pool.query("DELETE FROM graphile_worker._private_jobs").catch(() => {}));
}
