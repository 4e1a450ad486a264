import { id, obj, type TObj } from "../fields.ts";

/**
 * The GitLab project id of a REST object: from the body when it says (`project_id`,
 * `pipeline.project_id`), else from the `/projects/:id/` segment of the URL it was read from.
 */
export function apiProjectId(body: TObj, requestUrl: string | null): string | null {
  return (
    id(body.project_id) ??
    id(obj(body.pipeline)?.project_id) ??
    id(obj(obj(body.deployable)?.pipeline)?.project_id) ??
    requestUrl?.match(/\/api\/v4\/projects\/(\d+)\//)?.[1] ??
    null
  );
}
