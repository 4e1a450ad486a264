import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { closeDb, db, getPool } from "@/lib/db";
import { createApiToken } from "@/lib/auth/create-api-token";
import { linkAccounts } from "@/lib/people/link-accounts";
import type { TRole } from "@/lib/contracts/roles";
import { appOrigin, configureAuth, signedInCookie, truncateAuth } from "../support/auth-fixtures.ts";
import { truncateAll } from "../support/graph-snapshot.ts";
import { accountRow, seedAccount, seedEvent, seedPush } from "./seed-people.ts";

const people = await import("@/app/api/v1/people/route");
const person = await import("@/app/api/v1/people/[id]/route");
const links = await import("@/app/api/v1/people/links/route");
const unlink = await import("@/app/api/v1/people/links/[accountId]/route");
const { default: PersonPage } = await import("@/app/people/[id]/page");

const pool = getPool();
const cli = { type: "cli", id: null, label: "cli:test" } as const;
const sameOrigin = { origin: appOrigin, "sec-fetch-site": "same-origin", "x-custody-request": "1", "content-type": "application/json" };
const params = <P,>(p: P) => ({ params: Promise.resolve(p) });
const request = (path: string, init: { method?: string; headers?: Record<string, string>; body?: unknown } = {}) =>
  new Request(`${appOrigin}${path}`, { method: init.method ?? "GET", headers: init.headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
const bearer = async (role: TRole) => ({ authorization: `Bearer ${(await createApiToken({ name: `t-${role}`, role, expiresInSeconds: 3600, actor: cli })).token}` });

/** One human: GitLab user 104 (dave) and the Buildkite user with the email of the commits dave pushed. */
async function seedDave() {
  const gl = await seedAccount(pool, { system: "gitlab", externalId: "104", username: "dave", name: "Dave Dev" });
  const bk = await seedAccount(pool, { system: "buildkite", externalId: "bk-dave", name: "Dave D.", email: "dave@acme.test" });
  await seedPush(pool, gl, "c".repeat(40), "dave@acme.test", "2026-11-01T10:00:00Z");
  await seedEvent(pool, bk, { key: "bk:unblock", kind: "buildkite.job.unblocked", source: "buildkite", title: "Dave D. unblocked Deploy to production", at: "2026-11-01T11:00:00Z" });
  await linkAccounts(pool);
  return { gl, bk, personId: (await accountRow(pool, gl)).person_id! };
}

beforeEach(async () => {
  configureAuth();
  await truncateAll(pool);
  await truncateAuth(pool);
});
afterAll(async () => {
  await truncateAll(pool);
  await truncateAuth(pool);
  await closeDb();
});

describe("the people API", () => {
  it("a viewer reads a person: both accounts with method, strength and evidence, and activity across systems newest first", async () => {
    const { gl, bk, personId } = await seedDave();
    const headers = await bearer("viewer");
    const list = await people.GET(request("/api/v1/people", { headers }), params({}));
    expect(list.status).toBe(200);
    expect((await list.json()).items).toEqual([expect.objectContaining({ id: personId, displayName: "Dave Dev" })]);

    const response = await person.GET(request(`/api/v1/people/${personId}?limit=1`, { headers }), params({ id: personId }));
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.accounts).toEqual([
      expect.objectContaining({ id: bk, system: "buildkite", linkMethod: "email_match", strength: "weak", evidence: expect.objectContaining({ strength: "weak", matched: "dave@acme.test", via: "commit author email" }) }),
      expect.objectContaining({ id: gl, system: "gitlab", linkMethod: "gitlab_user_id", strength: "strong", evidence: expect.objectContaining({ gitlabUserId: "104" }) }),
    ]);
    expect(body.activity.items.map((e: { source: string }) => e.source)).toEqual(["buildkite"]);
    const next = await person.GET(request(`/api/v1/people/${personId}?limit=1&cursor=${body.activity.nextCursor}`, { headers }), params({ id: personId }));
    const older = await next.json();
    expect(older.activity.items.map((e: { source: string }) => e.source)).toEqual(["gitlab"]);
    expect(older.activity.nextCursor).toBeNull();

    expect((await person.GET(request("/api/v1/people/00000000-0000-4000-8000-000000000000", { headers }), params({ id: "00000000-0000-4000-8000-000000000000" }))).status).toBe(404);
    expect((await person.GET(request(`/api/v1/people/${personId}?cursor=bogus`, { headers }), params({ id: personId }))).status).toBe(400);
  });

  it("people are keyset-paged without skipping or repeating people created at the same instant", async () => {
    for (let i = 0; i < 5; i++) await seedAccount(pool, { system: "gitlab", externalId: String(200 + i), username: `u${i}` });
    await linkAccounts(pool);
    expect(new Set((await db.person.findMany()).map((p) => p.createdAt.toISOString())).size).toBe(1);
    const headers = await bearer("viewer");
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const response = await people.GET(request(`/api/v1/people?limit=2${cursor ? `&cursor=${cursor}` : ""}`, { headers }), params({}));
      const page = (await response.json()) as { items: { id: string }[]; nextCursor: string | null };
      seen.push(...page.items.map((p) => p.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
  });

  it("a person's activity pages through equal timestamps without skipping or repeating", async () => {
    const { gl, personId } = await seedDave();
    for (let i = 0; i < 4; i++) await seedEvent(pool, gl, { key: `same:${i}`, kind: "push", source: "gitlab", title: `same instant ${i}`, at: "2026-11-02T00:00:00.123456Z" });
    const headers = await bearer("viewer");
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const response = await person.GET(request(`/api/v1/people/${personId}?limit=3${cursor ? `&cursor=${cursor}` : ""}`, { headers }), params({ id: personId }));
      const page = (await response.json()) as { activity: { items: { id: string }[]; nextCursor: string | null } };
      seen.push(...page.activity.items.map((e) => e.id));
      cursor = page.activity.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(6);
    expect(new Set(seen).size).toBe(6);
  });

  it("a viewer cannot link, unlink or list unlinked accounts (403); an admin can, and it is audited", async () => {
    const { bk, personId } = await seedDave();
    const viewer = await bearer("viewer");
    const body = { accountId: bk, personId: "new", reason: "test" };
    expect((await links.GET(request("/api/v1/people/links", { headers: viewer }), params({}))).status).toBe(403);
    expect((await links.POST(request("/api/v1/people/links", { method: "POST", headers: { ...viewer, "content-type": "application/json" }, body }), params({}))).status).toBe(403);
    expect((await unlink.DELETE(request(`/api/v1/people/links/${bk}`, { method: "DELETE", headers: { ...viewer, "content-type": "application/json" }, body: { reason: "x" } }), params({ accountId: bk }))).status).toBe(403);
    expect((await accountRow(pool, bk)).person_id).toBe(personId);

    const { cookie } = await signedInCookie();
    const removed = await unlink.DELETE(
      request(`/api/v1/people/links/${bk}`, { method: "DELETE", headers: { ...sameOrigin, cookie }, body: { reason: "weak match was wrong" } }),
      params({ accountId: bk }),
    );
    expect(removed.status).toBe(200);
    const listed = await (await links.GET(request("/api/v1/people/links", { headers: { cookie } }), params({}))).json();
    expect(listed.items.map((a: { id: string }) => a.id)).toEqual([bk]);
    const linked = await links.POST(request("/api/v1/people/links", { method: "POST", headers: { ...sameOrigin, cookie }, body: { accountId: bk, personId, reason: "confirmed with Dave" } }), params({}));
    expect(linked.status).toBe(200);
    expect(await linked.json()).toMatchObject({ personId, linkMethod: "admin", evidence: { mappedBy: "local-admin", reason: "confirmed with Dave" } });
    const missingReason = await links.POST(request("/api/v1/people/links", { method: "POST", headers: { ...sameOrigin, cookie }, body: { accountId: bk, personId } }), params({}));
    expect(missingReason.status).toBe(400);

    const audit = await db.auditEntry.findMany({ where: { action: "people_link_changed" }, orderBy: [{ occurredAt: "asc" }, { id: "asc" }] });
    expect(audit.map((e) => [e.actorLabel, (e.details as { change: string }).change, e.ip])).toEqual([
      ["local-admin", "unlink", null],
      ["local-admin", "link", null],
    ]);
  });

  it("a cross-site POST with an admin's cookie is refused (403) and changes nothing", async () => {
    const { bk, personId } = await seedDave();
    const { cookie } = await signedInCookie();
    const forged = await links.POST(
      request("/api/v1/people/links", { method: "POST", headers: { ...sameOrigin, origin: "https://evil.test", "sec-fetch-site": "cross-site", cookie }, body: { accountId: bk, personId: "new", reason: "x" } }),
      params({}),
    );
    expect(forged.status).toBe(403);
    expect((await accountRow(pool, bk)).person_id).toBe(personId);
    expect(await db.auditEntry.count({ where: { action: "people_link_changed" } })).toBe(0);
  });

  it("the person page shows one human's GitLab and Buildkite accounts with the evidence for the link", async () => {
    const { personId } = await seedDave();
    const html = renderToStaticMarkup(await PersonPage({ params: Promise.resolve({ id: personId }), searchParams: Promise.resolve({}) }));
    expect(html).toContain("Dave Dev");
    expect(html).toMatch(/<td>gitlab<\/td><td>dave /);
    expect(html).toMatch(/<td>buildkite<\/td><td>bk-dave /);
    expect(html).toContain("same GitLab user id");
    expect(html).toContain("same email seen on both sides");
    expect(html).toContain("weak");
    expect(html).toContain("commit author email");
    expect(html).toContain("Dave D. unblocked Deploy to production");
  });
});
