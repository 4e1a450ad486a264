import { keys } from "../keys.ts";
import { arr, compact, date, email, id, obj, str, type TObj } from "../fields.ts";
import type { TFact, TNormalized } from "../types.ts";
import { gitlabProjectFact } from "./common.ts";

const ZERO = "0000000000000000000000000000000000000000";

/** Push Hook and Tag Push Hook → the pusher, the commits (newest 20) and a timeline entry. */
export function normalizePush(body: TObj, fallbackAt: string, tag: boolean): TNormalized {
  const projectId = id(body.project_id) ?? id(obj(body.project)?.id);
  const ref = str(body.ref);
  if (!projectId || !ref) return { status: "invalid", error: "Push Hook without project_id or ref" };
  const commits = arr(body.commits).map(obj).filter((c): c is TObj => c !== null);
  const times = commits.map((c) => date(c.timestamp)).filter((t): t is string => !!t).sort();
  // A push has no time of its own; the newest commit is the closest stable stand-in.
  const at = times.at(-1) ?? fallbackAt;
  const facts: TFact[] = [];
  const push = (fact: TFact | null) => fact && facts.push(fact);
  const userId = id(body.user_id);
  push(gitlabProjectFact(body.project, at, projectId));
  if (userId) {
    push({
      type: "account",
      key: keys.gitlabUser(userId),
      at,
      rank: 0,
      data: compact({ system: "gitlab", externalId: userId, username: str(body.user_username), name: str(body.user_name), email: email(body.user_email) }),
    });
  }
  for (const c of commits) {
    const sha = str(c.id);
    if (!sha) continue;
    const author = obj(c.author);
    push({
      type: "commit",
      key: keys.commit(projectId, sha),
      at: date(c.timestamp) ?? at,
      rank: 0,
      data: compact({
        projectKey: keys.gitlabProject(projectId),
        sha,
        message: str(c.message),
        title: str(c.title),
        authorName: str(author?.name),
        authorEmail: str(author?.email),
        committedAt: date(c.timestamp),
        url: str(c.url),
      }),
    });
  }
  const name = ref.replace(/^refs\/(heads|tags)\//, "");
  const after = str(body.after);
  const deleted = after === ZERO;
  const path = str(obj(body.project)?.path_with_namespace);
  const who = str(body.user_username) ?? str(body.user_name) ?? "someone";
  const verb = tag ? (deleted ? "deleted tag" : "tagged") : deleted ? "deleted branch" : "pushed to";
  return {
    status: "processed",
    facts,
    timeline: [
      {
        kind: tag ? "tag.push" : "push",
        at,
        title: `${who} ${verb} ${name}${tag ? "" : ` (${str(body.total_commits_count) ?? commits.length} commit(s))`}`,
        projectPath: path,
        actorKey: userId ? keys.gitlabUser(userId) : null,
        actor: str(body.user_username),
        sha: str(body.checkout_sha) ?? after,
        refs: [name, ...commits.map((c) => str(c.id)).filter((s): s is string => !!s), ...(str(body.checkout_sha) ? [str(body.checkout_sha)!] : [])],
      },
    ],
  };
}
