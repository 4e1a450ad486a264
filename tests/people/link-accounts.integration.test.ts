import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { closeDb, db, getPool } from "@/lib/db";
import type { TSignInIdentity } from "@/lib/auth/create-session";
import { linkAccounts } from "@/lib/people/link-accounts";
import { linkAccount } from "@/lib/people/link-account";
import { unlinkAccount } from "@/lib/people/unlink-account";
import { configureAuth, signedInCookie, truncateAuth } from "../support/auth-fixtures.ts";
import { truncateAll } from "../support/graph-snapshot.ts";
import { accountRow, seedAccount, seedPush } from "./seed-people.ts";

const pool = getPool();
const admin = { type: "user", id: null, label: "alice-admin" } as const;
const gitlabUser = (subject: string, username: string, email: string | null): TSignInIdentity => ({
  provider: "gitlab",
  subject,
  username,
  name: null,
  email,
  groups: ["acme/platform"],
  role: "viewer",
});

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

describe("linking accounts to people on evidence", () => {
  it("gives every GitLab account its own person, keyed on the user id, and a second pass changes nothing", async () => {
    const a = await seedAccount(pool, { system: "gitlab", externalId: "101", username: "alice", name: "Alice Example" });
    const b = await seedAccount(pool, { system: "gitlab", externalId: "102", username: "bob" });
    expect(await linkAccounts(pool)).toMatchObject({ peopleCreated: 2 });
    const rowA = await accountRow(pool, a);
    const rowB = await accountRow(pool, b);
    expect(rowA).toMatchObject({ link_method: "gitlab_user_id", link_evidence: { gitlabUserId: "101", strength: "strong" } });
    expect(rowA.person_id).not.toBe(rowB.person_id);
    expect((await db.person.findUniqueOrThrow({ where: { id: rowA.person_id! } })).displayName).toBe("Alice Example");
    expect((await db.person.findUniqueOrThrow({ where: { id: rowB.person_id! } })).displayName).toBe("bob");
    expect(await linkAccounts(pool)).toEqual({ peopleCreated: 0, gitlabLinked: 0, buildkiteLinked: 0 });
    expect(await db.person.count()).toBe(2);
    expect(await accountRow(pool, a)).toEqual(rowA);
  });

  it("treats a signed-in GitLab user as the account with the same user id, and notes the SSO user in the evidence", async () => {
    const a = await seedAccount(pool, { system: "gitlab", externalId: "101", username: "alice" });
    const { userId } = await signedInCookie(gitlabUser("101", "alice", "alice@acme.test"));
    const row = await accountRow(pool, a);
    expect(row.link_method).toBe("gitlab_user_id");
    expect(row.link_evidence).toMatchObject({ gitlabUserId: "101", ssoUserId: userId, note: expect.stringContaining("sso user id") });
    expect(await db.account.count({ where: { system: "gitlab" } })).toBe(1);
  });

  it("a GitLab user who signs in before any webhook names them still becomes a person", async () => {
    await signedInCookie(gitlabUser("303", "carol", "carol@acme.test"));
    const account = await db.account.findFirstOrThrow({ where: { system: "gitlab", externalId: "303" } });
    expect(account).toMatchObject({ username: "carol", linkMethod: "gitlab_user_id" });
    expect(account.personId).not.toBeNull();
  });

  it("links a Buildkite account to the signed-in GitLab user whose SSO email it shares (strong)", async () => {
    const gl = await seedAccount(pool, { system: "gitlab", externalId: "101", username: "alice", email: null });
    const bk = await seedAccount(pool, { system: "buildkite", externalId: "5c1d9e3a-0000-4000-8000-000000000001", name: "Alice E.", email: "Alice@Acme.test" });
    await linkAccounts(pool);
    expect((await accountRow(pool, bk)).person_id).toBeNull();
    const { userId } = await signedInCookie(gitlabUser("101", "alice", "alice@acme.test"));
    const row = await accountRow(pool, bk);
    expect(row.person_id).toBe((await accountRow(pool, gl)).person_id);
    expect(row).toMatchObject({ link_method: "sso_verified_email", link_evidence: { strength: "strong", matched: "alice@acme.test", ssoUserId: userId, gitlabUserId: "101" } });
  });

  it("links on a public GitLab email, marked weak", async () => {
    const gl = await seedAccount(pool, { system: "gitlab", externalId: "102", username: "bob", email: "bob@acme.test" });
    const bk = await seedAccount(pool, { system: "buildkite", externalId: "bk-bob", name: "Bob", email: "bob@acme.test" });
    await linkAccounts(pool);
    const row = await accountRow(pool, bk);
    expect(row.person_id).toBe((await accountRow(pool, gl)).person_id);
    expect(row).toMatchObject({ link_method: "email_match", link_evidence: { strength: "weak", matched: "bob@acme.test", via: "public GitLab email" } });
  });

  it("links on the author email of commits the GitLab account pushed, marked weak, and upgrades to strong once SSO confirms it", async () => {
    const gl = await seedAccount(pool, { system: "gitlab", externalId: "104", username: "dave", email: null });
    const bk = await seedAccount(pool, { system: "buildkite", externalId: "bk-dave", name: "Dave", email: "dave@acme.test" });
    await seedPush(pool, gl, "a".repeat(40), "dave@acme.test");
    await linkAccounts(pool);
    const person = (await accountRow(pool, gl)).person_id;
    expect(await accountRow(pool, bk)).toMatchObject({
      person_id: person,
      link_method: "email_match",
      link_evidence: { strength: "weak", via: "commit author email", sha: "a".repeat(40), gitlabUserId: "104" },
    });
    await signedInCookie(gitlabUser("104", "dave", "dave@acme.test"));
    expect(await accountRow(pool, bk)).toMatchObject({ person_id: person, link_method: "sso_verified_email", link_evidence: { strength: "strong" } });
  });

  it("never links on a display name: same name, different emails stay apart", async () => {
    await seedAccount(pool, { system: "gitlab", externalId: "105", username: "erin", name: "Erin Lead", email: "erin@acme.test" });
    const bk = await seedAccount(pool, { system: "buildkite", externalId: "bk-erin", name: "Erin Lead", email: "erin.lead@other.test" });
    await linkAccounts(pool);
    expect(await accountRow(pool, bk)).toEqual({ person_id: null, link_method: null, link_evidence: null });
  });

  it("links nothing when one email points at two people", async () => {
    const one = await seedAccount(pool, { system: "gitlab", externalId: "106", username: "pat1", email: "shared@acme.test" });
    const two = await seedAccount(pool, { system: "gitlab", externalId: "107", username: "pat2" });
    await seedPush(pool, two, "b".repeat(40), "shared@acme.test");
    const bk = await seedAccount(pool, { system: "buildkite", externalId: "bk-shared", name: "Pat", email: "shared@acme.test" });
    await linkAccounts(pool);
    expect((await accountRow(pool, one)).person_id).not.toBeNull();
    expect((await accountRow(pool, bk)).person_id).toBeNull();
  });

  it("an admin's mapping and unlinking are audited and no automatic pass overrides them", async () => {
    const gl = await seedAccount(pool, { system: "gitlab", externalId: "108", username: "frank", email: "frank@acme.test" });
    const bk = await seedAccount(pool, { system: "buildkite", externalId: "bk-frank", name: "F", email: "frank@acme.test" });
    const other = await seedAccount(pool, { system: "buildkite", externalId: "bk-ops", name: "Ops", email: "ops@acme.test" });
    await linkAccounts(pool);
    const frank = (await accountRow(pool, gl)).person_id!;

    const unlinked = await unlinkAccount(bk, { actor: admin, reason: "shared mailbox, not Frank" });
    expect(unlinked).toMatchObject({ ok: true, account: { personId: null, linkMethod: "admin_unlinked" } });
    await linkAccounts(pool);
    expect(await accountRow(pool, bk)).toMatchObject({ person_id: null, link_method: "admin_unlinked", link_evidence: { mappedBy: "alice-admin", reason: "shared mailbox, not Frank", previousPersonId: frank } });

    const linked = await linkAccount(other, frank, { actor: admin, reason: "Frank's ops login, confirmed in ticket OPS-12" });
    expect(linked).toMatchObject({ ok: true, account: { personId: frank, linkMethod: "admin", strength: "admin", evidence: { mappedBy: "alice-admin", reason: "Frank's ops login, confirmed in ticket OPS-12" } } });
    await linkAccounts(pool);
    expect((await accountRow(pool, other)).person_id).toBe(frank);

    const fresh = await linkAccount(bk, "new", { actor: admin, reason: "the shared mailbox as its own person" });
    expect(fresh.ok && fresh.account.personId).not.toBe(frank);
    expect(await linkAccount(bk, "00000000-0000-4000-8000-000000000000", { actor: admin, reason: "x" })).toMatchObject({ ok: false, status: 404 });
    expect(await unlinkAccount("00000000-0000-4000-8000-000000000000", { actor: admin, reason: "x" })).toMatchObject({ ok: false, status: 404 });

    const audit = await db.auditEntry.findMany({ orderBy: [{ occurredAt: "asc" }, { id: "asc" }] });
    expect(audit.map((e) => [e.action, e.actorLabel, (e.details as { change: string; reason: string }).change, (e.details as { reason: string }).reason])).toEqual([
      ["people_link_changed", "alice-admin", "unlink", "shared mailbox, not Frank"],
      ["people_link_changed", "alice-admin", "link", "Frank's ops login, confirmed in ticket OPS-12"],
      ["people_link_changed", "alice-admin", "link", "the shared mailbox as its own person"],
    ]);
    expect(audit[0]).toMatchObject({ target: "buildkite:bk-frank", details: { accountId: bk, previousPersonId: frank, previousMethod: "email_match" } });
  });
});
