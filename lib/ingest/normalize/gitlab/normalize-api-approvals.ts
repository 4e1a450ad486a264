import { keys } from "../keys.ts";
import { arr, date, id, int, latest, obj, type TObj } from "../fields.ts";
import type { TFact, TNormalized } from "../types.ts";
import { apiProjectId } from "./api-project-id.ts";
import { gitlabUserFact } from "./common.ts";

/**
 * REST `GET /projects/:id/merge_requests/:iid/approvals` → one approval per current approver, at
 * `approved_by[].approved_at` when GitLab sends it (else the MR's `updated_at`). The endpoint lists
 * current approvers only: a revocation that was never delivered cannot be recovered from it.
 */
export function normalizeApiApprovals(body: TObj, fallbackAt: string, requestUrl: string | null): TNormalized {
  const projectId = apiProjectId(body, requestUrl);
  const iid = int(body.iid) ?? int(requestUrl?.match(/\/merge_requests\/(\d+)\/approvals/)?.[1]);
  if (!projectId || iid === null) return { status: "invalid", error: "REST approvals without iid or project_id" };
  const mrKey = keys.mergeRequest(projectId, iid);
  const facts: TFact[] = [];
  for (const raw of arr(body.approved_by)) {
    const entry = obj(raw);
    const user = obj(entry?.user);
    const userId = id(user?.id);
    if (!userId) continue;
    const at = date(entry?.approved_at) ?? latest([date(body.updated_at)], fallbackAt);
    const account = gitlabUserFact(user, at);
    if (account) facts.push(account);
    facts.push({
      type: "approval",
      key: keys.approval(projectId, iid, userId),
      at,
      rank: 1,
      data: { mrKey, accountKey: keys.gitlabUser(userId), state: "approved", approvedAt: at },
    });
  }
  return { status: "processed", facts, timeline: [] };
}
