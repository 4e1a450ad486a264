// Entity keys: stable, source-scoped identifiers used by facts, evidence links and the writer.

export const keys = {
  gitlabUser: (id: unknown) => `gitlab:user:${id}`,
  buildkiteUser: (id: unknown) => `buildkite:user:${id}`,
  gitlabProject: (id: unknown) => `gitlab:project:${id}`,
  mergeRequest: (projectId: unknown, iid: unknown) => `gitlab:mr:${projectId}:${iid}`,
  approval: (projectId: unknown, iid: unknown, userId: unknown) => `gitlab:mr-approval:${projectId}:${iid}:${userId}`,
  commit: (projectId: unknown, sha: unknown) => `gitlab:commit:${projectId}:${sha}`,
  mrCommit: (projectId: unknown, iid: unknown, sha: unknown) => `gitlab:mr-commit:${projectId}:${iid}:${sha}`,
  pipeline: (projectId: unknown, id: unknown) => `gitlab:pipeline:${projectId}:${id}`,
  ciJob: (projectId: unknown, id: unknown) => `gitlab:job:${projectId}:${id}`,
  build: (id: unknown) => `buildkite:build:${id}`,
  buildJob: (id: unknown) => `buildkite:job:${id}`,
  gitlabDeployment: (projectId: unknown, id: unknown) => `gitlab:deployment:${projectId}:${id}`,
  buildkiteDeployment: (jobId: unknown) => `buildkite:deployment:${jobId}`,
};
