import { keys } from "../keys.ts";
import { compact, date, id, int, latest, obj, str, type TObj } from "../fields.ts";
import { stateRank } from "../state-rank.ts";
import type { TFact, TNormalized } from "../types.ts";
import { apiProjectId } from "./api-project-id.ts";
import { gitlabProjectFact, gitlabUserFact } from "./common.ts";

/**
 * REST `GET /projects/:id/merge_requests[/:iid]` item → the same merge request facts as the Merge
 * Request Hook: author, merger (`merge_user`, or the deprecated `merged_by`), state and SHAs.
 * The REST MR has no last-commit details, so it adds no commit row; approvals come from `api.merge_request_approvals`.
 */
export function normalizeApiMergeRequest(body: TObj, fallbackAt: string, requestUrl: string | null): TNormalized {
  const projectId = apiProjectId(body, requestUrl);
  const iid = int(body.iid);
  if (!projectId || iid === null) return { status: "invalid", error: "REST merge request without iid or project_id" };
  const state = str(body.state);
  const at = latest([date(body.created_at), date(body.updated_at), date(body.merged_at), date(body.closed_at)], fallbackAt);
  const facts: TFact[] = [];
  const push = (fact: TFact | null) => fact && facts.push(fact);
  push(gitlabProjectFact(null, at, projectId));
  const author = obj(body.author);
  const merger = obj(body.merge_user) ?? obj(body.merged_by);
  push(gitlabUserFact(author, at));
  push(gitlabUserFact(merger, at));
  const authorId = id(author?.id);
  const mergerId = state === "merged" ? id(merger?.id) : null;
  const headSha = str(body.sha);
  push({
    type: "merge_request",
    key: keys.mergeRequest(projectId, iid),
    at,
    rank: stateRank(state),
    data: compact({
      projectKey: keys.gitlabProject(projectId),
      iid,
      externalId: id(body.id),
      title: str(body.title),
      state,
      sourceBranch: str(body.source_branch),
      targetBranch: str(body.target_branch),
      headSha,
      mergeCommitSha: str(body.merge_commit_sha),
      squashCommitSha: str(body.squash_commit_sha),
      webUrl: str(body.web_url),
      authorKey: authorId ? keys.gitlabUser(authorId) : null,
      mergedByKey: mergerId ? keys.gitlabUser(mergerId) : null,
      openedAt: date(body.created_at),
      mergedAt: state === "merged" ? date(body.merged_at) : null,
      closedAt: state === "closed" ? date(body.closed_at) : null,
      sourceUpdatedAt: date(body.updated_at),
    }),
  });
  if (headSha) push({ type: "mr_commit", key: keys.mrCommit(projectId, iid, headSha), at, rank: 0, data: { mrKey: keys.mergeRequest(projectId, iid), sha: headSha } });
  return { status: "processed", facts, timeline: [] };
}
