import "server-only";
import { getPool } from "@/lib/db";
import { entityPaths } from "@/lib/shared/entity-paths";
import { logEvent } from "@/lib/shared/log-event";

export type TTimelineLinks = { subject: string | null; actor: string | null };

/**
 * Where each timeline row's subject and actor live in the dashboard: the deploy receipt, merge
 * request, pipeline (at the job) or build the row is about, and the actor's person page (null while the account is not linked to a person). One query
 * over primary and unique keys for a page of rows. Rows Custody cannot place get nulls.
 */
export async function findTimelineLinks(ids: string[]): Promise<Record<string, TTimelineLinks>> {
  try {
    return await queryTimelineLinks(ids);
  } catch (error) {
    // Links are a convenience: the page still renders its rows, and the failure is logged.
    logEvent("error", "timeline_links_failed", { message: error instanceof Error ? error.message : String(error) });
    return {};
  }
}

async function queryTimelineLinks(ids: string[]): Promise<Record<string, TTimelineLinks>> {
  const numeric = ids.filter((id) => /^[0-9]{1,19}$/.test(id));
  if (!numeric.length) return {};
  const { rows } = await getPool().query<{
    id: string;
    deployment_id: string | null;
    mr_project: string | null;
    mr_iid: number | null;
    pipeline_project: string | null;
    pipeline_id: string | null;
    job_id: string | null;
    build_slug: string | null;
    build_number: number | null;
    person_id: string | null;
  }>(
    `WITH t AS (
       SELECT id, entity_type, entity_id, account_id, split_part(entity_id, ':', 3) AS k3, split_part(entity_id, ':', 4) AS k4
       FROM timeline_event WHERE id = ANY($1::bigint[])
     )
     SELECT t.id::text,
       dep.id AS deployment_id, mr.path AS mr_project, mr.iid AS mr_iid,
       pl.path AS pipeline_project, pl.external_id AS pipeline_id, pl.job_id,
       bu.pipeline_slug AS build_slug, bu.number AS build_number,
       a.person_id
     FROM t
     LEFT JOIN account a ON a.id = t.account_id
     LEFT JOIN LATERAL (
       SELECT d.id FROM deployment d
       WHERE (t.entity_type = 'deployment' AND d.provider = 'gitlab' AND d.external_id = substr(t.entity_id, length('gitlab:deployment:') + 1))
          OR (t.entity_type = 'build_job' AND d.provider = 'buildkite' AND d.external_id = t.k3)
       LIMIT 1
     ) dep ON true
     LEFT JOIN LATERAL (
       SELECT p.path, m.iid FROM project p JOIN merge_request m ON m.project_id = p.id
       WHERE t.entity_type = 'merge_request' AND p.provider = 'gitlab' AND p.external_id = t.k3 AND m.iid = CASE WHEN t.k4 ~ '^[0-9]{1,9}$' THEN t.k4::int END
     ) mr ON true
     LEFT JOIN LATERAL (
       SELECT p.path, pi.external_id, NULL::text AS job_id FROM project p JOIN pipeline pi ON pi.project_id = p.id
       WHERE t.entity_type = 'pipeline' AND p.provider = 'gitlab' AND p.external_id = t.k3 AND pi.external_id = t.k4
       UNION ALL
       SELECT p.path, pi.external_id, j.external_id FROM project p JOIN ci_job j ON j.project_id = p.id JOIN pipeline pi ON pi.id = j.pipeline_id
       WHERE t.entity_type = 'ci_job' AND p.provider = 'gitlab' AND p.external_id = t.k3 AND j.external_id = t.k4
       LIMIT 1
     ) pl ON true
     LEFT JOIN LATERAL (
       SELECT b.pipeline_slug, b.number FROM build b WHERE t.entity_type = 'build' AND b.external_id = t.k3
       UNION ALL
       SELECT b.pipeline_slug, b.number FROM build_job j JOIN build b ON b.id = j.build_id WHERE t.entity_type = 'build_job' AND j.external_id = t.k3
       LIMIT 1
     ) bu ON true`,
    [numeric],
  );
  const links: Record<string, TTimelineLinks> = {};
  for (const r of rows) {
    const subject = r.deployment_id
      ? entityPaths.deploy(r.deployment_id)
      : r.mr_project && r.mr_iid !== null
        ? entityPaths.mergeRequest(r.mr_project, r.mr_iid)
        : r.pipeline_project && r.pipeline_id
          ? `${entityPaths.pipeline(r.pipeline_project, r.pipeline_id)}${r.job_id ? `#job-${r.job_id}` : ""}`
          : r.build_slug && r.build_number !== null
            ? entityPaths.build(r.build_slug, r.build_number)
            : null;
    const actor = r.person_id ? entityPaths.person(r.person_id) : null;
    links[r.id] = { subject, actor };
  }
  return links;
}
