import { keys } from "../keys.ts";
import { compact, email, id, obj, str, type TObj } from "../fields.ts";
import type { TFact } from "../types.ts";

/** An account fact for a GitLab `user` object (keyed on the numeric id, never on name or email). */
export function gitlabUserFact(user: unknown, at: string): TFact | null {
  const u = obj(user);
  const userId = id(u?.id);
  if (!u || !userId) return null;
  return {
    type: "account",
    key: keys.gitlabUser(userId),
    at,
    rank: 0,
    data: compact({ system: "gitlab", externalId: userId, username: str(u.username), name: str(u.name), email: email(u.email) }),
  };
}

export function gitlabProjectFact(project: unknown, at: string, fallbackId?: unknown): TFact | null {
  const p = obj(project);
  const projectId = id(p?.id) ?? id(fallbackId);
  if (!projectId) return null;
  return {
    type: "project",
    key: keys.gitlabProject(projectId),
    at,
    rank: 0,
    data: compact({
      provider: "gitlab",
      externalId: projectId,
      path: str(p?.path_with_namespace),
      name: str(p?.name),
      webUrl: str(p?.web_url),
      defaultBranch: str(p?.default_branch),
    }),
  };
}

export function projectPath(body: TObj): string | null {
  return str(obj(body.project)?.path_with_namespace);
}

export function userLabel(user: unknown): string | null {
  const u = obj(user);
  return str(u?.username) ?? str(u?.name);
}
