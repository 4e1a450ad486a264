import { afterAll, beforeEach, describe, expect, inject, it } from "vitest";
import { closeDb, db, getPool } from "@/lib/db";
import { verifyApiToken } from "@/lib/auth/verify-api-token";
import { runCustody } from "../support/spawn-custody.ts";
import { configureAuth, truncateAuth } from "../support/auth-fixtures.ts";

const custody = async (...args: string[]) => {
  const run = runCustody(args, { DATABASE_URL: inject("databaseUrl") });
  return { code: await run.exited, output: run.output() };
};

beforeEach(async () => {
  configureAuth();
  await truncateAuth(getPool());
});
afterAll(async () => {
  await truncateAuth(getPool());
  await closeDb();
});

describe("npx custody token", () => {
  it("create prints the token once; list shows its prefix; revoke ends it; each change is audited as the CLI", async () => {
    const created = await custody("token", "create", "--role", "auditor", "--name", "nightly-export", "--expires-in", "30d");
    expect(created.code).toBe(0);
    const token = /^(cst_[A-Za-z0-9_-]{43})$/m.exec(created.output)?.[1];
    expect(token).toBeDefined();
    expect(await verifyApiToken(token!)).toMatchObject({ ok: true, token: { role: "auditor", name: "nightly-export" } });

    const listed = await custody("token", "list");
    expect(listed.code).toBe(0);
    expect(listed.output).toContain(`${token!.slice(0, 12)}…`);
    expect(listed.output).toContain("nightly-export");
    expect(listed.output).not.toContain(token!);

    const revoked = await custody("token", "revoke", token!.slice(0, 12));
    expect(revoked.code).toBe(0);
    expect(await verifyApiToken(token!)).toEqual({ ok: false, reason: "revoked" });

    const audit = await db.auditEntry.findMany({ orderBy: [{ occurredAt: "asc" }, { id: "asc" }] });
    expect(audit.map((e) => [e.action, e.actorType])).toEqual([
      ["token_created", "cli"],
      ["token_revoked", "cli"],
    ]);
    expect(audit[0]!.actorLabel).toMatch(/^cli:/);
  }, 60_000);

  it("refuses an unknown role or a bad lifetime with usage", async () => {
    const badRole = await custody("token", "create", "--role", "root", "--name", "x");
    expect(badRole.code).toBe(2);
    expect(badRole.output).toMatch(/--role/);
    const badLifetime = await custody("token", "create", "--role", "viewer", "--name", "x", "--expires-in", "soon");
    expect(badLifetime.code).toBe(2);
    expect(badLifetime.output).toMatch(/--expires-in/);
    expect(await db.apiToken.count()).toBe(0);
  }, 30_000);
});

describe("npx custody replay", () => {
  it("records the replay in the audit trail with the CLI as actor", async () => {
    const run = await custody("replay", "--failed");
    expect(run.code).toBe(0);
    expect(run.output).toMatch(/Queued \d+ deliver/);
    const entry = await db.auditEntry.findFirstOrThrow({ where: { action: "replay" } });
    expect(entry).toMatchObject({ actorType: "cli", target: "all failed deliveries" });
  }, 30_000);
});
