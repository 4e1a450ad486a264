/**
 * Posts to one of next-auth's endpoints the way its own client does (csrf token from /api/auth/csrf,
 * `json=true` so the answer is `{ url }` instead of a redirect) and follows where it says. Throws with
 * a readable message when sign-in attempts are being rate-limited.
 */
export async function submitAuthForm(path: string, fields: Record<string, string>): Promise<void> {
  const { csrfToken } = (await (await fetch("/api/auth/csrf", { credentials: "same-origin" })).json()) as { csrfToken: string };
  const response = await fetch(path, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ ...fields, csrfToken, json: "true" }),
  });
  if (response.status === 429) {
    throw new Error(`Too many sign-in attempts from here; try again in ${response.headers.get("retry-after") ?? "60"} seconds.`);
  }
  const answer = (await response.json().catch(() => ({}))) as { url?: string };
  window.location.assign(answer.url ?? "/sign-in?error=Callback");
}
