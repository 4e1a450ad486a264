import { keys } from "../keys.ts";
import { arr, compact, date, id, int, latest, obj, str, type TObj } from "../fields.ts";
import { stateRank } from "../state-rank.ts";
import type { TFact, TNormalized, TTimelineItem } from "../types.ts";
import { gitlabProjectFact, gitlabUserFact, projectPath, userLabel } from "./common.ts";

const actions: Record<string, string> = {
  open: "opened",
  reopen: "reopened",
  update: "updated",
  close: "closed",
  merge: "merged",
  approval: "approved",
  approved: "approved",
  unapproval: "unapproved",
  unapproved: "unapproved",
};

/** Merge Request Hook → the MR, its author/merger/approver accounts, approvals and last commit. */
export function normalizeMergeRequest(body: TObj, fallbackAt: string): TNormalized {
  const attrs = obj(body.object_attributes);
  const project = obj(body.project);
  const projectId = id(project?.id) ?? id(attrs?.target_project_id);
  const iid = int(attrs?.iid);
  if (!attrs || !projectId || iid === null) {
    return { status: "invalid", error: "Merge Request Hook without object_attributes.iid or project.id" };
  }
  const action = str(attrs.action) ?? "update";
  const state = str(attrs.state);
  const at = date(attrs.actioned_at) ?? latest([date(attrs.updated_at), date(attrs.created_at)], fallbackAt);
  const facts: TFact[] = [];
  const push = (fact: TFact | null) => fact && facts.push(fact);
  const actor = obj(body.user);
  const actorId = id(actor?.id);
  push(gitlabProjectFact(project, at, projectId));
  push(gitlabUserFact(actor, at));
  const mrKey = keys.mergeRequest(projectId, iid);
  const authorId = id(attrs.author_id);
  const mergerId = id(attrs.merge_user_id) ?? (action === "merge" ? actorId : null);
  if (authorId) push({ type: "account", key: keys.gitlabUser(authorId), at, rank: 0, data: { system: "gitlab", externalId: authorId } });
  if (mergerId && mergerId !== actorId) push({ type: "account", key: keys.gitlabUser(mergerId), at, rank: 0, data: { system: "gitlab", externalId: mergerId } });

  const lastCommit = obj(attrs.last_commit);
  const headSha = str(lastCommit?.id);
  push({
    type: "merge_request",
    key: mrKey,
    at,
    rank: stateRank(state),
    data: compact({
      projectKey: keys.gitlabProject(projectId),
      iid,
      externalId: id(attrs.id),
      title: str(attrs.title),
      state,
      sourceBranch: str(attrs.source_branch),
      targetBranch: str(attrs.target_branch),
      headSha,
      mergeCommitSha: str(attrs.merge_commit_sha),
      squashCommitSha: str(attrs.squash_commit_sha),
      webUrl: str(attrs.url),
      authorKey: authorId ? keys.gitlabUser(authorId) : null,
      mergedByKey: mergerId ? keys.gitlabUser(mergerId) : null,
      openedAt: date(attrs.created_at),
      mergedAt: state === "merged" ? (date(attrs.merged_at) ?? (action === "merge" ? at : null)) : null,
      closedAt: action === "close" ? at : null,
      sourceUpdatedAt: date(attrs.updated_at),
    }),
  });
  if (headSha && lastCommit) {
    const author = obj(lastCommit.author);
    push({
      type: "commit",
      key: keys.commit(projectId, headSha),
      at: date(lastCommit.timestamp) ?? at,
      rank: 0,
      data: compact({
        projectKey: keys.gitlabProject(projectId),
        sha: headSha,
        message: str(lastCommit.message),
        title: str(lastCommit.title),
        authorName: str(author?.name),
        authorEmail: str(author?.email),
        committedAt: date(lastCommit.timestamp),
        url: str(lastCommit.url),
      }),
    });
    push({ type: "mr_commit", key: keys.mrCommit(projectId, iid, headSha), at, rank: 0, data: { mrKey, sha: headSha } });
  }
  const isApproval = action === "approval" || action === "approved";
  const isUnapproval = action === "unapproval" || action === "unapproved";
  // A system unapproval (approvals reset on push) has no single approver: it revokes everyone's.
  if ((isApproval || isUnapproval) && actorId && attrs.system !== true) {
    push({
      type: "approval",
      key: keys.approval(projectId, iid, actorId),
      at,
      rank: isApproval ? 1 : 0,
      data: isApproval
        ? { mrKey, accountKey: keys.gitlabUser(actorId), state: "approved", approvedAt: at }
        : { mrKey, accountKey: keys.gitlabUser(actorId), state: "revoked", revokedAt: at },
    });
  }
  const path = projectPath(body);
  const verb = actions[action] ?? action;
  const timeline: TTimelineItem[] = [
    {
      kind: `merge_request.${verb}`,
      at,
      title: `${userLabel(actor) ?? "someone"} ${verb} ${path ?? projectId}!${iid}: ${str(attrs.title) ?? ""}`.trim(),
      projectPath: path,
      actorKey: actorId ? keys.gitlabUser(actorId) : null,
      actor: userLabel(actor),
      sha: str(attrs.merge_commit_sha) ?? headSha,
      refs: [
        `${path}!${iid}`,
        ...(headSha ? [headSha] : []),
        ...(str(attrs.merge_commit_sha) ? [str(attrs.merge_commit_sha)!] : []),
        ...(str(attrs.source_branch) ? [str(attrs.source_branch)!] : []),
        ...arr(body.labels).map((l) => str(obj(l)?.title)).filter((l): l is string => !!l),
      ],
      entityType: "merge_request",
      entityKey: mrKey,
    },
  ];
  return { status: "processed", facts, timeline };
}
