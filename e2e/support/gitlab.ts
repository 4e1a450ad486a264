// Where the end-to-end servers listen and how tests steer the mock GitLab (e2e/support/mock-gitlab.mjs).
export const appPort = Number(process.env.E2E_PORT ?? 3100);
export const appUrl = `http://127.0.0.1:${appPort}`;
export const gitlabPort = Number(process.env.E2E_GITLAB_PORT ?? 4110);
export const gitlabUrl = `http://127.0.0.1:${gitlabPort}`;

/** The GitLab groups that grant each role in the end-to-end configuration. */
export const roleGroups = {
  admin: "acme/platform-admins",
  approver: "acme/release-leads",
  auditor: "acme/compliance",
  viewer: "acme/developers",
} as const;

/** Re-checks of GitLab groups happen this often in end-to-end runs (production default: 5 min). */
export const recheckSeconds = 5;

/** Fixture users of the mock (password "password") and the role their groups grant. */
export const users = {
  alice: "admin",
  bob: "approver",
  carol: "auditor",
  dave: "viewer",
  erin: null,
  frank: "viewer",
  gina: "viewer",
} as const;

export async function setGitlabUser(username: string, change: { groups?: string[]; blocked?: boolean }): Promise<void> {
  const response = await fetch(`${gitlabUrl}/__mock/users/${username}`, { method: "PUT", body: JSON.stringify(change) });
  if (!response.ok) throw new Error(`mock GitLab refused to change ${username}: ${response.status}`);
}

export async function resetGitlab(): Promise<void> {
  await fetch(`${gitlabUrl}/__mock/reset`, { method: "POST" });
}

export async function gitlabStats(): Promise<{ tokenRequests: number; refreshGrants: number; userinfoRequests: number }> {
  return (await fetch(`${gitlabUrl}/__mock/stats`)).json();
}
