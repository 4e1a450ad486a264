import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { closeDb, getPool } from "@/lib/db";
import { exportAuditEntries } from "@/lib/audit/export-audit-entries";
import { findAuditEntries } from "@/lib/audit/find-audit-entries";
import { recordAuditEntry } from "@/lib/audit/record-audit-entry";
import { consumeRateLimit } from "@/lib/auth/consume-rate-limit";
import { configureAuth, truncateAuth } from "../support/auth-fixtures.ts";

const alice = { type: "user", id: "8a0c9a57-7f35-4a3f-9d0a-2c1d6a1f0b11", label: "alice" } as const;

beforeEach(async () => {
  configureAuth();
  await truncateAuth(getPool());
});
afterAll(async () => {
  await truncateAuth(getPool());
  await closeDb();
});

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

describe("Custody's audit trail", () => {
  it("records who, when, from where and what, and puts it on the timeline as audit.<action> from custody", async () => {
    const id = await recordAuditEntry({ actor: alice, action: "token_created", target: "ci (cst_abcd…)", ip: "198.51.100.1", userAgent: "Firefox", details: { role: "viewer" } });
    const { items } = await findAuditEntries({ limit: 10 });
    expect(items).toEqual([
      expect.objectContaining({ id, actorType: "user", actorLabel: "alice", action: "token_created", outcome: "success", target: "ci (cst_abcd…)", ip: "198.51.100.1", userAgent: "Firefox", details: { role: "viewer" } }),
    ]);
    const { rows } = await getPool().query("SELECT key, kind, source, actor, title, entity_type, entity_id FROM timeline_event WHERE source = 'custody'");
    expect(rows).toEqual([{ key: `audit:${id}`, kind: "audit.token_created", source: "custody", actor: "alice", title: "alice created an API token: ci (cst_abcd…)", entity_type: "audit_entry", entity_id: id }]);
  });

  it("pages newest first on (occurredAt, id) without skipping or repeating entries that share a timestamp", async () => {
    const pool = getPool();
    const at = "2026-11-20T10:00:00.000Z";
    await pool.query(
      `INSERT INTO audit_entry (id, occurred_at, actor_type, actor_label, action, outcome)
       SELECT gen_random_uuid(), CASE WHEN n <= 7 THEN $1::timestamptz ELSE $1::timestamptz - make_interval(secs => n) END, 'user', 'u' || n, 'sign_in', 'success'
       FROM generate_series(1, 12) AS n`,
      [at],
    );
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await findAuditEntries({ limit: 3, cursor });
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor ?? undefined;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(4);
    expect(new Set(seen).size).toBe(12);
    const all = (await findAuditEntries({ limit: 50 })).items;
    expect(seen).toEqual(all.map((item) => item.id));
    expect(all.slice(0, 7).every((item) => item.occurredAt === at)).toBe(true);
  });

  it("exports oldest first as CSV (formula-safe) or JSON", async () => {
    await recordAuditEntry({ actor: alice, action: "sign_in", target: "alice" });
    await recordAuditEntry({ actor: { type: "anonymous", id: null, label: "=cmd|' /C calc'!A0" }, action: "sign_in_failed", outcome: "failure", details: { reason: "no allowed GitLab group" } });
    const csv = await readAll(exportAuditEntries({ format: "csv" }));
    const lines = csv.trim().split("\r\n");
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe("occurred_at,id,actor_type,actor_label,actor_id,action,outcome,target,ip,user_agent,details");
    expect(lines[1]).toContain(",user,alice,");
    expect(lines[2]).toContain(`,anonymous,'=cmd|' /C calc'!A0,`);
    expect(lines[2]).toContain(",sign_in_failed,failure,");
    const json = JSON.parse(await readAll(exportAuditEntries({ format: "json" }))) as { action: string }[];
    expect(json.map((entry) => entry.action)).toEqual(["sign_in", "sign_in_failed"]);
    expect(JSON.parse(await readAll(exportAuditEntries({ format: "json", from: "2099-01-01T00:00:00Z" })))).toEqual([]);
  });

  it("exports more entries than one batch, in order", async () => {
    await getPool().query(
      `INSERT INTO audit_entry (id, occurred_at, actor_type, actor_label, action, outcome)
       SELECT gen_random_uuid(), now() - make_interval(secs => n), 'user', 'u' || n, 'export', 'success' FROM generate_series(1, 1203) AS n`,
    );
    const json = JSON.parse(await readAll(exportAuditEntries({ format: "json" }))) as { occurredAt: string; actorLabel: string }[];
    expect(json).toHaveLength(1203);
    expect(json[0]!.actorLabel).toBe("u1203");
    expect(json.at(-1)!.actorLabel).toBe("u1");
  });
});

describe("rate limit counters", () => {
  it("allow `limit` events per window per key, then refuse with the time left, then start over", async () => {
    const results = [];
    for (let i = 0; i < 4; i += 1) results.push(await consumeRateLimit("test:a", 3, 1));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false]);
    expect(results[3]!.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect((await consumeRateLimit("test:b", 3, 1)).allowed).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect((await consumeRateLimit("test:a", 3, 1)).allowed).toBe(true);
  });
});
