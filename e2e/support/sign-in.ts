import { expect, type Page } from "@playwright/test";
import { appUrl } from "./gitlab.ts";

/** Signs in through the sign-in page and the mock GitLab's login form, as a person would. */
export async function signInWithGitLab(page: Page, username: string, path = "/"): Promise<void> {
  await page.goto(path);
  await expect(page).toHaveURL(/\/sign-in\?/);
  await page.getByRole("button", { name: "Sign in with GitLab" }).click({ timeout: 15_000 });
  await page.locator("#user_login").fill(username);
  await page.locator("#user_password").fill("password");
  await page.locator("#sign_in").click();
  await page.waitForURL((url) => url.origin === appUrl && !url.pathname.startsWith("/api/auth") && !url.pathname.startsWith("/sign-in"));
}

/**
 * The same sign-in over plain HTTP (no browser), for API tests: next-auth's csrf token, the GitLab
 * authorization redirect, the login form, the callback. Returns the Cookie header of the session.
 */
export async function signInOverHttp(username: string): Promise<string> {
  const jar = new Map<string, string>();
  const remember = (response: Response, url: string) => {
    for (const line of response.headers.getSetCookie()) {
      const pair = line.split(";")[0]!;
      const name = `${new URL(url).host}|${pair.slice(0, pair.indexOf("="))}`;
      if (/Max-Age=0|01 Jan 1970/i.test(line)) jar.delete(name);
      else jar.set(name, pair.slice(pair.indexOf("=") + 1));
    }
  };
  const cookieFor = (url: string) =>
    [...jar]
      .filter(([key]) => key.startsWith(`${new URL(url).host}|`))
      .map(([key, value]) => `${key.split("|")[1]}=${value}`)
      .join("; ");
  const hop = async (url: string, init: RequestInit = {}) => {
    const response = await fetch(url, { ...init, redirect: "manual", headers: { ...(init.headers as Record<string, string>), cookie: cookieFor(url) } });
    remember(response, url);
    return response;
  };
  const form = { "content-type": "application/x-www-form-urlencoded" };
  const { csrfToken } = (await (await hop(`${appUrl}/api/auth/csrf`)).json()) as { csrfToken: string };
  const start = await hop(`${appUrl}/api/auth/signin/gitlab`, { method: "POST", headers: form, body: new URLSearchParams({ csrfToken, callbackUrl: `${appUrl}/`, json: "true" }) });
  let url = ((await start.json()) as { url: string }).url;
  for (let i = 0; i < 12; i += 1) {
    let response = await hop(url);
    if (/\/interaction\/[\w-]+$/.test(new URL(url).pathname)) {
      response = await hop(url, { method: "POST", headers: form, body: new URLSearchParams({ username, password: "password" }) });
    }
    const location = response.headers.get("location");
    if (!location) break;
    url = new URL(location, url).toString();
    if (url.startsWith(appUrl) && !url.startsWith(`${appUrl}/api/auth`)) break;
  }
  const cookie = cookieFor(appUrl);
  if (!/custody\.session-token=/.test(cookie)) throw new Error(`${username} did not get a session (ended at ${url})`);
  return cookie;
}
