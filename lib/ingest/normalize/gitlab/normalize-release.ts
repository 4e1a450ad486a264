import { date, id, obj, str, type TObj } from "../fields.ts";
import type { TNormalized } from "../types.ts";
import { gitlabProjectFact, projectPath } from "./common.ts";

/** Release Hook (no actor in the payload) → a timeline entry. */
export function normalizeRelease(body: TObj, fallbackAt: string): TNormalized {
  const projectId = id(obj(body.project)?.id);
  if (!projectId) return { status: "invalid", error: "Release Hook without project.id" };
  const at = date(body.released_at) ?? date(body.created_at) ?? fallbackAt;
  const fact = gitlabProjectFact(body.project, at);
  const commitSha = str(obj(body.commit)?.id);
  return {
    status: "processed",
    facts: fact ? [fact] : [],
    timeline: [
      {
        kind: `release.${str(body.action) ?? "create"}`,
        at,
        title: `Release ${str(body.name) ?? str(body.tag) ?? "?"} ${str(body.action) ?? "create"}d in ${projectPath(body) ?? projectId}`,
        projectPath: projectPath(body),
        sha: commitSha,
        refs: [...(str(body.tag) ? [str(body.tag)!] : []), ...(commitSha ? [commitSha] : [])],
      },
    ],
  };
}
