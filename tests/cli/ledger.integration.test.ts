import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { verify } from "node:crypto";
import { afterAll, beforeEach, describe, expect, inject, it } from "vitest";
import { closeDb, getPool } from "@/lib/db";
import { readPublicKey, readSigningKey } from "@/lib/evidence/read-signing-key";
import { runCustody } from "../support/spawn-custody.ts";
import { truncateAll } from "../support/graph-snapshot.ts";
import { insertAuditEntry, insertDelivery, resetLedger } from "../support/ledger-fixtures.ts";

const pool = getPool();
const dirs: string[] = [];
const custody = async (args: string[], env: Record<string, string | undefined> = {}) => {
  const run = runCustody(args, { DATABASE_URL: inject("databaseUrl"), CUSTODY_SIGNING_KEY: undefined, ...env });
  return { code: await run.exited, output: run.output() };
};
const tempDir = async () => {
  const dir = await mkdtemp(join(tmpdir(), "custody-keys-"));
  dirs.push(dir);
  return dir;
};

beforeEach(async () => {
  await truncateAll(pool);
  await resetLedger(pool);
});
afterAll(async () => {
  await truncateAll(pool);
  await resetLedger(pool);
  await closeDb();
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe("npx custody keygen", () => {
  it("writes an Ed25519 key pair, the private half readable only by its owner, prints the fingerprint, and never overwrites", async () => {
    const dir = await tempDir();
    const made = await custody(["keygen", "--out", dir]);
    expect(made.code).toBe(0);
    const privatePem = await readFile(join(dir, "custody-signing-key.pem"), "utf8");
    const publicPem = await readFile(join(dir, "custody-signing-key.pub.pem"), "utf8");
    expect(privatePem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(publicPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect((await stat(join(dir, "custody-signing-key.pem"))).mode & 0o777).toBe(0o600);
    const key = readSigningKey(privatePem);
    expect(readPublicKey(publicPem).fingerprint).toBe(key.fingerprint);
    expect(made.output).toContain(key.fingerprint);

    const again = await custody(["keygen", "--out", dir]);
    expect(again.code).toBe(1);
    expect(again.output).toMatch(/not overwriting/);
    expect(await readFile(join(dir, "custody-signing-key.pem"), "utf8")).toBe(privatePem);

    expect((await custody(["keygen", "--out"])).code).toBe(2);
  }, 30_000);
});

describe("npx custody ledger", () => {
  it("checkpoint signs the tree, export prints it for anchoring, verify exits 0; an edited body makes verify exit 1 naming the seq", async () => {
    const dir = await tempDir();
    expect((await custody(["keygen", "--out", dir])).code).toBe(0);
    const keyFile = join(dir, "custody-signing-key.pem");
    const withKey = { CUSTODY_SIGNING_KEY: keyFile };

    await insertDelivery(pool, '{"n":1}');
    const second = await insertDelivery(pool, '{"n":2}');
    await insertAuditEntry(pool);

    const checkpoint = await custody(["ledger", "checkpoint"], withKey);
    expect(checkpoint.code, checkpoint.output).toBe(0);
    expect(checkpoint.output).toMatch(/Checkpoint 0: 3 entries, root [0-9a-f]{64}\./);

    const exported = await custody(["ledger", "export"], withKey);
    expect(exported.code).toBe(0);
    const line = JSON.parse(exported.output.trim().split("\n").at(-1)!) as { number: number; statement: string; signature: string };
    expect(line).toMatchObject({ number: 0 });
    const publicKey = readPublicKey(await readFile(join(dir, "custody-signing-key.pub.pem"), "utf8"));
    expect(verify(null, Buffer.from(line.statement), publicKey.publicKey, Buffer.from(line.signature, "base64"))).toBe(true);

    // An auditor holding only the public key.
    const ok = await custody(["ledger", "verify", "--public-key", join(dir, "custody-signing-key.pub.pem")]);
    expect(ok.code, ok.output).toBe(0);
    expect(ok.output).toMatch(/Ledger OK: 3 entries, 1 checkpoint, root [0-9a-f]{64}\./);

    const noKey = await custody(["ledger", "verify"]);
    expect(noKey.code).toBe(1);
    expect(noKey.output).toContain(`checkpoint 0: signed by key ${publicKey.fingerprint}, which is not a trusted key`);

    await pool.query("UPDATE delivery SET body = $2 WHERE id = $1", [second, Buffer.from('{"n":3}')]);
    const tampered = await custody(["ledger", "verify"], withKey);
    expect(tampered.code).toBe(1);
    expect(tampered.output).toContain(`Ledger verification FAILED: seq 1: delivery ${second} was changed after it was appended`);
  }, 60_000);

  it("checkpoint without a signing key refuses with the reason; unknown subcommands print usage", async () => {
    const refused = await custody(["ledger", "checkpoint"]);
    expect(refused.code).toBe(2);
    expect(refused.output).toMatch(/CUSTODY_SIGNING_KEY is not set/);
    expect((await pool.query("SELECT count(*)::int AS n FROM ledger_checkpoint")).rows[0].n).toBe(0);
    const badKey = await custody(["ledger", "verify"], { CUSTODY_SIGNING_KEY: "/nonexistent/key.pem" });
    expect(badKey.code).toBe(2);
    expect(badKey.output).toMatch(/CUSTODY_SIGNING_KEY: cannot read \/nonexistent\/key.pem \(ENOENT\)/);
    const usage = await custody(["ledger", "rewrite"]);
    expect(usage.code).toBe(2);
    expect(usage.output).toMatch(/Usage: custody ledger verify/);
  }, 30_000);
});
