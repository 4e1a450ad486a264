import type { TStoryDelivery } from "../fixtures/story.ts";
import type { TGitlabApiData } from "./mock-gitlab-api.ts";

// What GitLab's and Buildkite's REST APIs would answer after the story's last event: each object in
// its final state, in the REST shape (docs.gitlab.com/api/merge_requests, merge_request_approvals,
// pipelines, jobs, deployments; buildkite.com/docs/apis/rest-api/builds), built from the webhook
// bodies. REST times are ISO 8601 UTC where the hooks use "2026-09-14 09:05:11 UTC".

type TObj = Record<string, unknown>;
const iso = (value: unknown) => (typeof value === "string" ? new Date(value.replace(/ UTC$/, "Z").replace(/ ([+-]\d{2})(\d{2})$/, "$1:$2").replace(" ", "T")).toISOString() : null);
const restUser = (u: unknown) => {
  const user = u as TObj | null;
  return user ? { id: user.id, username: user.username, name: user.name, state: "active", avatar_url: user.avatar_url, web_url: `https://gitlab.acme.test/${String(user.username)}` } : null;
};

export function buildStoryRestObjects(story: TStoryDelivery[]): { gitlab: TGitlabApiData; buildkite: TObj[] } {
  const hooks = story.map((d) => ({ ...d, json: JSON.parse(d.body) as TObj }));
  const gitlab: TGitlabApiData = { projects: [], groups: {}, mergeRequests: [], approvals: [], pipelines: [], jobs: [], deployments: [] };
  const users = new Map<unknown, TObj>();
  for (const h of hooks) if (h.source === "gitlab" && h.json.user && (h.json.user as TObj).id) users.set((h.json.user as TObj).id, h.json.user as TObj);

  const project = hooks.find((h) => h.event === "Merge Request Hook")!.json.project as TObj;
  gitlab.projects.push({ id: project.id, name: project.name, path_with_namespace: project.path_with_namespace, web_url: project.web_url, default_branch: project.default_branch });
  gitlab.groups.acme = [Number(project.id)];

  // Merge requests and approvals.
  const mrHooks = hooks.filter((h) => h.event === "Merge Request Hook");
  const byIid = new Map<number, TObj[]>();
  for (const h of mrHooks) {
    const a = h.json.object_attributes as TObj;
    byIid.set(Number(a.iid), [...(byIid.get(Number(a.iid)) ?? []), h.json]);
  }
  for (const [iid, list] of byIid) {
    const last = list.at(-1)!;
    const a = last.object_attributes as TObj;
    const when = (x: TObj) => iso((x.object_attributes as TObj).actioned_at ?? (x.object_attributes as TObj).updated_at);
    const merge = list.find((x) => (x.object_attributes as TObj).action === "merge");
    const approvers = new Map<unknown, TObj>();
    for (const x of list) {
      const action = (x.object_attributes as TObj).action;
      const user = x.user as TObj;
      if (action === "approval" || action === "approved") approvers.set(user.id, { user: restUser(user), approved_at: when(x) });
      if ((action === "unapproval" || action === "unapproved") && (x.object_attributes as TObj).system !== true) approvers.delete(user.id);
    }
    const updatedAt = when(last);
    gitlab.mergeRequests.push({
      id: a.id,
      iid,
      project_id: a.target_project_id,
      title: a.title,
      state: a.state,
      created_at: iso(a.created_at),
      updated_at: updatedAt,
      merged_by: merge ? restUser(merge.user) : null,
      merge_user: merge ? restUser(merge.user) : null,
      merged_at: merge ? when(merge) : null,
      closed_at: null,
      target_branch: a.target_branch,
      source_branch: a.source_branch,
      author: restUser(users.get(a.author_id)),
      sha: (a.last_commit as TObj).id,
      merge_commit_sha: a.merge_commit_sha,
      squash_commit_sha: null,
      web_url: a.url,
      references: { full: `${String(project.path_with_namespace)}!${iid}` },
    });
    gitlab.approvals.push({ id: a.id, iid, project_id: a.target_project_id, state: a.state, updated_at: updatedAt, approved: true, approved_by: [...approvers.values()] });
  }

  // Pipelines and jobs: the last word on each, in story order.
  const pipelines = new Map<unknown, TObj>();
  const jobs = new Map<unknown, TObj>();
  for (const h of hooks) {
    if (h.event === "Pipeline Hook") {
      const a = h.json.object_attributes as TObj;
      const ref = { id: a.id, project_id: project.id, ref: a.ref, sha: a.sha, status: a.status };
      pipelines.set(a.id, {
        id: a.id, iid: a.iid, project_id: project.id, sha: a.sha, ref: a.ref, status: a.status, source: a.source, before_sha: a.before_sha,
        created_at: iso(a.created_at), updated_at: iso(a.finished_at ?? a.created_at), finished_at: iso(a.finished_at), web_url: a.url, user: restUser(h.json.user),
      });
      for (const b of (h.json.builds as TObj[]) ?? []) {
        jobs.set(b.id, {
          id: b.id, name: b.name, stage: b.stage, status: b.status, ref: a.ref, created_at: iso(b.created_at), started_at: iso(b.started_at), finished_at: iso(b.finished_at),
          user: restUser(b.user), pipeline: ref, commit: { id: a.sha },
        });
      }
    }
    if (h.event === "Job Hook") {
      const j = h.json;
      const previous = jobs.get(j.build_id);
      jobs.set(j.build_id, {
        id: j.build_id, name: j.build_name, stage: j.build_stage, status: j.build_status, ref: j.ref,
        created_at: iso(j.build_created_at), started_at: iso(j.build_started_at), finished_at: iso(j.build_finished_at), user: restUser(j.user),
        pipeline: { ...((previous?.pipeline as TObj) ?? {}), id: j.pipeline_id, project_id: j.project_id, ref: j.ref, sha: j.sha }, commit: { id: j.sha },
      });
    }
  }
  gitlab.pipelines.push(...pipelines.values());
  gitlab.jobs.push(...jobs.values());

  // Deployments: created at the first status, updated at the last.
  const deployments = new Map<unknown, TObj>();
  for (const h of hooks.filter((x) => x.event === "Deployment Hook")) {
    const d = h.json;
    const at = iso(d.status_changed_at);
    const first = deployments.get(d.deployment_id);
    deployments.set(d.deployment_id, {
      __project_id: (d.project as TObj).id,
      id: d.deployment_id, iid: 1, ref: "main", sha: String(d.commit_url).match(/[0-9a-f]{40}/)?.[0],
      created_at: first?.created_at ?? at, updated_at: at, finished_at: ["success", "failed", "canceled"].includes(String(d.status)) ? at : null,
      status: d.status, user: restUser(d.user), deployable: { id: d.deployable_id, web_url: d.deployable_url }, environment: { id: 1, name: d.environment, external_url: d.environment_external_url },
    });
  }
  gitlab.deployments.push(...deployments.values());

  // Buildkite builds with their jobs.
  const builds = new Map<unknown, TObj>();
  const buildJobs = new Map<unknown, Map<unknown, TObj>>();
  for (const h of hooks.filter((x) => x.source === "buildkite" && (x.event.startsWith("build.") || x.event.startsWith("job.")))) {
    const build = h.json.build as TObj;
    if (h.event.startsWith("build.") || !builds.has(build.id)) builds.set(build.id, { ...build, pipeline: h.json.pipeline });
    if (h.event.startsWith("job.")) {
      const job = h.json.job as TObj;
      const map = buildJobs.get(build.id) ?? new Map();
      map.set(job.id, job);
      buildJobs.set(build.id, map);
    }
  }
  const buildkite = [...builds.values()].map((b) => ({ ...b, jobs: [...(buildJobs.get(b.id)?.values() ?? [])] }));
  return { gitlab, buildkite };
}
