import { createHash } from "node:crypto";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { closeDb, db, getPool } from "@/lib/db";
import { createApiToken } from "@/lib/auth/create-api-token";
import { findApiTokens } from "@/lib/auth/find-api-tokens";
import { revokeApiToken } from "@/lib/auth/revoke-api-token";
import { verifyApiToken } from "@/lib/auth/verify-api-token";
import { configureAuth, truncateAuth } from "../support/auth-fixtures.ts";

const admin = { type: "user", id: null, label: "alice" } as const;

beforeEach(async () => {
  configureAuth();
  await truncateAuth(getPool());
});
afterAll(async () => {
  await truncateAuth(getPool());
  await closeDb();
});

describe("API tokens", () => {
  it("are shown once and stored only as a SHA-256 hash with a display prefix", async () => {
    const { token, summary } = await createApiToken({ name: "ci", role: "auditor", expiresInSeconds: 90 * 86400, actor: admin });
    expect(token).toMatch(/^cst_[A-Za-z0-9_-]{43}$/);
    const row = await db.apiToken.findUniqueOrThrow({ where: { id: summary.id } });
    expect(row.tokenHash).toBe(createHash("sha256").update(token).digest("hex"));
    expect(row.prefix).toBe(token.slice(0, 12));
    expect(JSON.stringify(row)).not.toContain(token);
    expect(JSON.stringify(await findApiTokens())).not.toContain(token.slice(12));
    expect(summary).toMatchObject({ name: "ci", role: "auditor", status: "active", createdBy: "alice" });
    expect(new Date(summary.expiresAt!).getTime() - Date.now()).toBeGreaterThan(89 * 86400 * 1000);
  });

  it("verify to their role until they expire", async () => {
    const { token, summary } = await createApiToken({ name: "short", role: "viewer", expiresInSeconds: 60, actor: admin });
    expect(await verifyApiToken(token)).toEqual({ ok: true, token: { id: summary.id, name: "short", role: "viewer" } });
    expect(await verifyApiToken(token, new Date(Date.now() + 61_000))).toEqual({ ok: false, reason: "expired" });
    const forever = await createApiToken({ name: "forever", role: "viewer", expiresInSeconds: null, actor: admin });
    expect(forever.summary.expiresAt).toBeNull();
    expect((await verifyApiToken(forever.token, new Date(Date.now() + 3650 * 86400 * 1000))).ok).toBe(true);
  });

  it("record when they were last used", async () => {
    const { token, summary } = await createApiToken({ name: "used", role: "viewer", expiresInSeconds: 3600, actor: admin });
    expect((await db.apiToken.findUniqueOrThrow({ where: { id: summary.id } })).lastUsedAt).toBeNull();
    await verifyApiToken(token);
    expect((await db.apiToken.findUniqueOrThrow({ where: { id: summary.id } })).lastUsedAt).not.toBeNull();
  });

  it("stop working when revoked by id or prefix; revoking twice records once", async () => {
    const a = await createApiToken({ name: "a", role: "admin", expiresInSeconds: 3600, actor: admin });
    const b = await createApiToken({ name: "b", role: "admin", expiresInSeconds: 3600, actor: admin });
    expect(await revokeApiToken({ idOrPrefix: a.summary.id, actor: admin })).toMatchObject({ status: "revoked" });
    expect(await revokeApiToken({ idOrPrefix: b.summary.prefix, actor: admin })).toMatchObject({ status: "revoked" });
    expect(await revokeApiToken({ idOrPrefix: a.summary.id, actor: admin })).toMatchObject({ status: "revoked" });
    expect(await verifyApiToken(a.token)).toEqual({ ok: false, reason: "revoked" });
    expect(await verifyApiToken(b.token)).toEqual({ ok: false, reason: "revoked" });
    expect(await revokeApiToken({ idOrPrefix: "cst_nosuchxx", actor: admin })).toBeNull();
    const actions = (await db.auditEntry.findMany()).map((e) => e.action).sort();
    expect(actions).toEqual(["token_created", "token_created", "token_revoked", "token_revoked"]);
  });

  it("an unknown or malformed token is invalid", async () => {
    expect(await verifyApiToken(`cst_${"x".repeat(43)}`)).toEqual({ ok: false, reason: "invalid-token" });
    expect(await verifyApiToken("cst_short")).toEqual({ ok: false, reason: "invalid-token" });
    expect(await verifyApiToken("")).toEqual({ ok: false, reason: "invalid-token" });
  });
});
