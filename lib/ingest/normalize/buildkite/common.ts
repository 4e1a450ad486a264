import { keys } from "../keys.ts";
import { compact, date, email, id, int, latest, obj, str, type TObj } from "../fields.ts";
import { stateRank } from "../state-rank.ts";
import type { TFact } from "../types.ts";

export function buildkiteUserFact(user: unknown, at: string): TFact | null {
  const u = obj(user);
  const userId = id(u?.id);
  if (!u || !userId) return null;
  return {
    type: "account",
    key: keys.buildkiteUser(userId),
    at,
    rank: 0,
    data: compact({ system: "buildkite", externalId: userId, name: str(u.name), email: email(u.email), username: str(u.username) }),
  };
}

export function metaData(build: TObj): Record<string, string> {
  const raw = obj(build.meta_data) ?? {};
  return Object.fromEntries(Object.entries(raw).filter(([, v]) => typeof v === "string")) as Record<string, string>;
}

export function buildTime(build: TObj, fallbackAt: string): string {
  return latest([date(build.created_at), date(build.scheduled_at), date(build.started_at), date(build.finished_at)], fallbackAt);
}

/** The build snapshot a webhook carries; join keys to GitLab come from its meta-data. */
export function buildFact(build: TObj, pipeline: TObj | null, at: string): TFact | null {
  const buildId = id(build.id);
  const number = int(build.number);
  const slug = str(pipeline?.slug) ?? str(obj(build.pipeline)?.slug) ?? slugFromUrl(str(build.url) ?? str(build.web_url));
  if (!buildId || number === null || !slug) return null;
  const md = metaData(build);
  const creatorId = id(obj(build.creator)?.id);
  const author = obj(build.author);
  const state = str(build.state);
  return {
    type: "build",
    key: keys.build(buildId),
    at,
    rank: stateRank(state) * 2 + (build.blocked === true ? 0 : 1),
    data: compact({
      externalId: buildId,
      organization: orgFromUrl(str(build.web_url) ?? str(build.url)),
      pipelineSlug: slug,
      number,
      state,
      blocked: typeof build.blocked === "boolean" ? build.blocked : null,
      commitSha: str(build.commit),
      branch: str(build.branch),
      message: str(build.message),
      source: str(build.source),
      webUrl: str(build.web_url),
      creatorKey: creatorId ? keys.buildkiteUser(creatorId) : null,
      authorName: str(author?.name),
      authorEmail: email(author?.email),
      metaData: Object.keys(md).length ? md : null,
      gitlabProjectPath: md.GITLAB_PROJECT_PATH ?? md.gitlab_project_path ?? null,
      gitlabPipelineId: md.GITLAB_PIPELINE_ID ?? md.gitlab_pipeline_id ?? null,
      gitlabJobId: md.GITLAB_JOB_ID ?? md.gitlab_job_id ?? null,
      gitlabMrIid: int(md.GITLAB_MR_IID ?? md.gitlab_mr_iid),
      createdAt: date(build.created_at),
      startedAt: date(build.started_at),
      finishedAt: date(build.finished_at),
    }),
  };
}

function orgFromUrl(url: string | null): string | null {
  return url?.match(/(?:buildkite\.com|organizations)\/([^/]+)\//)?.[1] ?? null;
}

function slugFromUrl(url: string | null): string | null {
  return url?.match(/pipelines\/([^/]+)\/builds/)?.[1] ?? url?.match(/buildkite\.com\/[^/]+\/([^/]+)\/builds/)?.[1] ?? null;
}

/**
 * The environment a job deploys to, by the documented convention: build meta-data
 * `deploy-environment:<step key>` = <environment>, or `deploy-environment` = <environment> for a job
 * whose step key starts with "deploy".
 */
export function deployEnvironment(md: Record<string, string>, stepKey: string | null): string | null {
  if (!stepKey) return null;
  return md[`deploy-environment:${stepKey}`] ?? (stepKey.startsWith("deploy") ? (md["deploy-environment"] ?? null) : null);
}
