import { afterAll, beforeEach, describe, expect, inject, it } from "vitest";
import { closeDb, db, getPool } from "@/lib/db";
import { linkAccounts } from "@/lib/people/link-accounts";
import { runCustody } from "../support/spawn-custody.ts";
import { configureAuth, truncateAuth } from "../support/auth-fixtures.ts";
import { truncateAll } from "../support/graph-snapshot.ts";
import { accountRow, seedAccount } from "../people/seed-people.ts";

const pool = getPool();
const custody = async (...args: string[]) => {
  const run = runCustody(args, { DATABASE_URL: inject("databaseUrl") });
  return { code: await run.exited, output: run.output() };
};

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

describe("npx custody people", () => {
  it("lists unlinked accounts, links one to a person and unlinks it, each audited as the CLI with its reason", async () => {
    const gl = await seedAccount(pool, { system: "gitlab", externalId: "101", username: "alice" });
    const bk = await seedAccount(pool, { system: "buildkite", externalId: "bk-alice", name: "A", email: "a@home.test" });
    await linkAccounts(pool);
    const alice = (await accountRow(pool, gl)).person_id!;

    const listed = await custody("people", "list-unlinked");
    expect(listed.code).toBe(0);
    expect(listed.output).toContain(bk);
    expect(listed.output).not.toContain(gl);

    expect((await custody("people", "link", bk, alice)).code).toBe(2);
    const linked = await custody("people", "link", bk, alice, "--reason", "Alice's personal Buildkite login");
    expect(linked.code).toBe(0);
    expect(await accountRow(pool, bk)).toMatchObject({ person_id: alice, link_method: "admin", link_evidence: { reason: "Alice's personal Buildkite login" } });

    const unlinked = await custody("people", "unlink", bk, "--reason", "left the company");
    expect(unlinked.code).toBe(0);
    expect((await accountRow(pool, bk)).person_id).toBeNull();

    const audit = await db.auditEntry.findMany({ orderBy: [{ occurredAt: "asc" }, { id: "asc" }] });
    expect(audit.map((e) => [e.action, e.actorType, (e.details as { reason: string }).reason])).toEqual([
      ["people_link_changed", "cli", "Alice's personal Buildkite login"],
      ["people_link_changed", "cli", "left the company"],
    ]);
  });
});
