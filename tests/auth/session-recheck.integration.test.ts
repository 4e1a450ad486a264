import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { closeDb, db, getPool } from "@/lib/db";
import { getSessionPrincipal } from "@/lib/auth/get-session-principal";
import { openSealedSecret } from "@/lib/auth/open-sealed-secret";
import type { TSignInIdentity } from "@/lib/auth/create-session";
import { configureAuth, sessionSecret, signedInCookie, truncateAuth } from "../support/auth-fixtures.ts";

// GitLab's side of the re-check (/oauth/userinfo and /oauth/token), answered by a small local server
// whose answers each test sets.
type TAnswer = { status: number; body?: unknown };
const gitlab = {
  userinfo: new Map<string, TAnswer>(),
  refresh: new Map<string, TAnswer>(),
  userinfoCalls: [] as string[],
  refreshCalls: [] as string[],
  down: false,
};
let server: Server;
let gitlabUrl = "";

const identity: TSignInIdentity = { provider: "gitlab", subject: "501", username: "dora", name: "Dora", email: null, groups: ["acme/dev"], role: "viewer" };
const userinfo = (groups: string[]) => ({ status: 200, body: { sub: "501", nickname: "dora", name: "Dora", groups } });
const later = (seconds: number) => ({ now: new Date(Date.now() + seconds * 1000) });

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      const send = (answer: TAnswer | undefined) => {
        res.writeHead(answer?.status ?? 401, { "content-type": "application/json" });
        res.end(JSON.stringify(answer?.body ?? { error: "invalid_token" }));
      };
      if (req.url === "/oauth/userinfo") {
        const token = (req.headers.authorization ?? "").replace("Bearer ", "");
        gitlab.userinfoCalls.push(token);
        if (gitlab.down) return send({ status: 503, body: { error: "maintenance" } });
        return send(gitlab.userinfo.get(token));
      }
      if (gitlab.down) return send({ status: 503, body: { error: "maintenance" } });
      if (req.url === "/oauth/token") {
        expect(req.headers.authorization).toBe(`Basic ${Buffer.from("client-id:client-secret").toString("base64")}`);
        const refreshToken = new URLSearchParams(body).get("refresh_token") ?? "";
        gitlab.refreshCalls.push(refreshToken);
        return send(gitlab.refresh.get(refreshToken) ?? { status: 400, body: { error: "invalid_grant" } });
      }
      send({ status: 404 });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  gitlabUrl = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
});

beforeEach(async () => {
  configureAuth({
    GITLAB_URL: gitlabUrl,
    GITLAB_CLIENT_ID: "client-id",
    GITLAB_CLIENT_SECRET: "client-secret",
    CUSTODY_ADMIN_GROUPS: "acme/admins",
    CUSTODY_VIEWER_GROUPS: "acme/dev",
    CUSTODY_ROLE_RECHECK_INTERVAL: "60s",
  });
  await truncateAuth(getPool());
  gitlab.userinfo.clear();
  gitlab.refresh.clear();
  gitlab.userinfoCalls = [];
  gitlab.refreshCalls = [];
  gitlab.down = false;
});

afterAll(async () => {
  server.close();
  await truncateAuth(getPool());
  await closeDb();
});

const signIn = (accessToken = "at-1", expiresInSeconds = 7200) =>
  signedInCookie(identity, { accessToken, refreshToken: "rt-1", expiresAt: new Date(Date.now() + expiresInSeconds * 1000) });

const auditActions = async () => (await db.auditEntry.findMany({ orderBy: [{ occurredAt: "asc" }, { id: "asc" }] })).map((e) => e.action);

describe("re-checking a session's GitLab groups", () => {
  it("within the interval the role read at sign-in is used without asking GitLab", async () => {
    const { sessionId } = await signIn();
    const result = await getSessionPrincipal(sessionId, later(30));
    expect(result).toMatchObject({ ok: true, principal: { role: "viewer", username: "dora" } });
    expect(gitlab.userinfoCalls).toEqual([]);
  });

  it("after the interval GitLab's userinfo is read again with the session's access token", async () => {
    const { sessionId } = await signIn();
    gitlab.userinfo.set("at-1", userinfo(["acme/dev"]));
    expect(await getSessionPrincipal(sessionId, later(61))).toMatchObject({ ok: true, principal: { role: "viewer" } });
    expect(gitlab.userinfoCalls).toEqual(["at-1"]);
    // …and not again until another interval has passed.
    await getSessionPrincipal(sessionId, later(90));
    expect(gitlab.userinfoCalls).toEqual(["at-1"]);
  });

  it("a new group changes the role and records role_changed", async () => {
    const { sessionId } = await signIn();
    gitlab.userinfo.set("at-1", userinfo(["acme/dev", "acme/admins"]));
    expect(await getSessionPrincipal(sessionId, later(61))).toMatchObject({ ok: true, principal: { role: "admin" } });
    expect(await auditActions()).toEqual(["sign_in", "role_changed"]);
    expect((await db.user.findFirstOrThrow()).groups).toEqual(["acme/dev", "acme/admins"]);
  });

  it("leaving every allowed group ends all the user's sessions at the next check and records access_lost", async () => {
    const first = await signIn();
    const second = await signIn("at-2");
    gitlab.userinfo.set("at-1", userinfo(["acme"]));
    expect(await getSessionPrincipal(first.sessionId, later(61))).toEqual({ ok: false, reason: "no-role" });
    expect(await getSessionPrincipal(second.sessionId, later(1))).toEqual({ ok: false, reason: "no-role" });
    expect(await getSessionPrincipal(first.sessionId, later(2))).toEqual({ ok: false, reason: "no-role" });
    expect(await auditActions()).toEqual(["sign_in", "sign_in", "access_lost"]);
    expect((await db.user.findFirstOrThrow()).role).toBeNull();
  });

  it("an expired access token is refreshed first, and the rotated tokens are stored sealed", async () => {
    const { sessionId } = await signIn("at-1", -10);
    gitlab.refresh.set("rt-1", { status: 200, body: { access_token: "at-2", refresh_token: "rt-2", expires_in: 7200, token_type: "Bearer" } });
    gitlab.userinfo.set("at-2", userinfo(["acme/dev"]));
    expect(await getSessionPrincipal(sessionId, later(61))).toMatchObject({ ok: true });
    expect(gitlab.refreshCalls).toEqual(["rt-1"]);
    expect(gitlab.userinfoCalls).toEqual(["at-2"]);
    const stored = await db.session.findUniqueOrThrow({ where: { id: sessionId } });
    expect(stored.gitlabAccessToken).not.toContain("at-2");
    expect(openSealedSecret(stored.gitlabAccessToken!, sessionSecret)).toBe("at-2");
    expect(openSealedSecret(stored.gitlabRefreshToken!, sessionSecret)).toBe("rt-2");
  });

  it("a token GitLab refuses and cannot renew (user blocked, app revoked) ends the session", async () => {
    const { sessionId } = await signIn();
    gitlab.userinfo.set("at-1", { status: 401 });
    expect(await getSessionPrincipal(sessionId, later(61))).toEqual({ ok: false, reason: "revoked" });
    expect(gitlab.refreshCalls).toEqual(["rt-1"]);
    expect(await auditActions()).toEqual(["sign_in", "access_lost"]);
    expect((await db.session.findUniqueOrThrow({ where: { id: sessionId } })).revokedAt).not.toBeNull();
  });

  it("while GitLab is down the last role holds for up to three intervals, then the session is unverified", async () => {
    const { sessionId } = await signIn();
    gitlab.down = true;
    expect(await getSessionPrincipal(sessionId, later(61))).toMatchObject({ ok: true });
    // The failed check leaves its claim for a while, so GitLab is not hammered on every request.
    expect(await getSessionPrincipal(sessionId, later(62))).toMatchObject({ ok: true });
    expect(gitlab.userinfoCalls).toHaveLength(1);
    expect(await getSessionPrincipal(sessionId, later(200))).toEqual({ ok: false, reason: "unverified" });
  });

  it("an approval or export (checkedSince) asks GitLab at once and fails closed when it cannot", async () => {
    const { sessionId } = await signIn();
    gitlab.userinfo.set("at-1", userinfo(["acme/dev"]));
    expect(await getSessionPrincipal(sessionId, { checkedSince: new Date() })).toMatchObject({ ok: true });
    expect(gitlab.userinfoCalls).toEqual(["at-1"]);
    gitlab.down = true;
    expect(await getSessionPrincipal(sessionId, { checkedSince: new Date(Date.now() + 1) })).toEqual({ ok: false, reason: "unverified" });
  });

  it("concurrent requests due for a check ask GitLab once (refresh tokens rotate)", async () => {
    const { sessionId } = await signIn();
    gitlab.userinfo.set("at-1", userinfo(["acme/dev"]));
    const results = await Promise.all(Array.from({ length: 5 }, () => getSessionPrincipal(sessionId, later(61))));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(gitlab.userinfoCalls).toHaveLength(1);
  });
});
