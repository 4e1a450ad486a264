import { expect, test } from "@playwright/test";
import { appUrl } from "./support/gitlab.ts";
import { signInOverHttp } from "./support/sign-in.ts";

// A live stream is authorized when it connects and again every few seconds while it stays open, so
// ending a session (or losing the role) also ends the streams it opened.

type TSession = { id: string; username: string };

async function liveSessions(adminCookie: string): Promise<TSession[]> {
  const response = await fetch(`${appUrl}/api/v1/sessions`, { headers: { cookie: adminCookie } });
  expect(response.status).toBe(200);
  return ((await response.json()) as { items: TSession[] }).items;
}

test("ending a session closes the live stream it opened", async () => {
  test.setTimeout(60_000);
  const adminCookie = await signInOverHttp("alice");
  const before = new Set((await liveSessions(adminCookie)).map((s) => s.id));
  const daveCookie = await signInOverHttp("dave");
  const opened = (await liveSessions(adminCookie)).filter((s) => s.username === "dave" && !before.has(s.id));
  expect(opened).toHaveLength(1);

  const controller = new AbortController();
  const stream = await fetch(`${appUrl}/api/v1/stream`, { headers: { cookie: daveCookie }, signal: controller.signal });
  expect(stream.status).toBe(200);
  const reader = stream.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  const readUntil = async (needle: string, ms: number): Promise<boolean> => {
    const deadline = Date.now() + ms;
    while (!text.includes(needle)) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      const chunk = await Promise.race([reader.read(), new Promise<null>((resolve) => setTimeout(() => resolve(null), left))]);
      if (chunk === null) return false;
      if (chunk.done) return text.includes(needle);
      text += decoder.decode(chunk.value, { stream: true });
    }
    return true;
  };
  expect(await readUntil(": connected", 10_000)).toBe(true);

  const ended = await fetch(`${appUrl}/api/v1/sessions/${opened[0]!.id}`, { method: "DELETE", headers: { cookie: adminCookie, origin: appUrl, "x-custody-request": "1" } });
  expect(ended.status).toBe(204);
  // Checked every 5 s: the stream says why and ends.
  expect(await readUntil("event: end", 15_000)).toBe(true);
  expect(text).toContain(`data: {"reason":"revoked"}`);
  expect((await reader.read()).done).toBe(true);
  controller.abort();

  // Reconnecting is refused.
  expect((await fetch(`${appUrl}/api/v1/stream`, { headers: { cookie: daveCookie } })).status).toBe(401);
});
