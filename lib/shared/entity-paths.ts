// Where each identifier lives in the dashboard: one place, so every page links the same way.
const segments = (path: string) => path.split("/").map(encodeURIComponent).join("/");

export const entityPaths = {
  deploy: (id: string) => `/deploys/${encodeURIComponent(id)}`,
  mergeRequest: (project: string, iid: number) => `/merge-requests/${segments(project)}/${iid}`,
  pipeline: (project: string, id: string) => `/pipelines/${segments(project)}/${encodeURIComponent(id)}`,
  build: (pipeline: string, number: number) => `/builds/${encodeURIComponent(pipeline)}/${number}`,
  delivery: (id: string) => `/deliveries/${encodeURIComponent(id)}`,
  /** An account by system and username, email or id: its person's page, or its activity when unlinked. */
  account: (system: string, key: string) => `/accounts/${encodeURIComponent(system)}/${encodeURIComponent(key)}`,
  person: (id: string) => `/people/${encodeURIComponent(id)}`,
  commit: (sha: string) => `/timeline?q=${encodeURIComponent(sha)}`,
};

