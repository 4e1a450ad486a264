// `npm run bench:export`: the change-management CSV for 100,000 deployments, streamed by the same
// lib functions the route uses (buildChangeManagementReport + writeReportCsv), on a fresh database
// seeded with SQL (generate_series). Measures rows/s and the process's peak RSS. Ends with one line:
//   export: csv=<rows>/s rss=<MB>MB pack10k=<s>s verify100k=<s>s
// The pack figures (benchPack): an evidence pack of 10,000 deliveries of ~4 KB written to a file, and
// verifyPack over a pack of BENCH_PACK_DELIVERIES (default 100000). Knobs: BENCH_DEPLOYMENTS (default
// 100000), BENCH_PACK_DELIVERIES, DATABASE_URL (the server to create the database on), BENCH_KEEP_DB=1,
// BENCH_EXPORT_PARTS (comma-separated, default "csv,pack": "csv" runs only the CSV part, "pack" only
// the packs; the last line then names only the figures measured), BENCH_CSV_SHA256=1 (also prints the
// SHA-256 of the CSV, to check a change leaves the output byte-identical; hashing adds a little CPU),
// BENCH_EXPORT_DB=<name> (measure the CSV on a database kept by an earlier BENCH_KEEP_DB=1 run: no
// create, seed or drop; BENCH_DEPLOYMENTS must match what it holds).
import { readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import pg from "pg";
import { migrateDatabase } from "../lib/db/migrate-database.ts";

const serverUrl = process.env.DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/postgres";
const count = Number(process.env.BENCH_DEPLOYMENTS ?? 100_000);
if (!Number.isInteger(count) || count <= 0) throw new Error(`BENCH_DEPLOYMENTS must be a positive integer (got ${process.env.BENCH_DEPLOYMENTS})`);
const targets = { rowsPerSecond: 20_000, rssMb: 300 };
const parts = new Set((process.env.BENCH_EXPORT_PARTS ?? "csv,pack").split(",").map((p) => p.trim()).filter(Boolean));
if (!parts.size || [...parts].some((p) => p !== "csv" && p !== "pack")) throw new Error(`BENCH_EXPORT_PARTS must list csv and/or pack (got ${process.env.BENCH_EXPORT_PARTS})`);

const reuseDb = process.env.BENCH_EXPORT_DB || null;
const dbName = reuseDb ?? `custody_bench_export_${process.pid}`;
const withDb = (name: string) => {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
};

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Deployments with a full chain each: MR (2 approvals, 1 commit), pipeline + job, build + gate + deploy job, OIDC credential, role session. Some carry findings. */
async function seed(url: string, n: number): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const u = (expr: string) => `md5(${expr})::uuid`;
  try {
    await client.query("BEGIN");
    await client.query(`INSERT INTO project (id, provider, external_id, path, default_branch) VALUES (${u("'project'")}, 'gitlab', '1', 'acme/bench', 'main')`);
    await client.query(`INSERT INTO account (id, system, external_id, username, name, email) SELECT ${u("'gl' || i")}, 'gitlab', i::text, 'u' || i, 'User ' || i, NULL FROM generate_series(0, 19) i`);
    await client.query(`INSERT INTO account (id, system, external_id, name, email) SELECT ${u("'bk' || i")}, 'buildkite', 'bk' || i, 'Lead ' || i, 'lead' || i || '@acme.test' FROM generate_series(0, 4) i`);
    await client.query(
      `INSERT INTO merge_request (id, project_id, iid, title, state, head_sha, merge_commit_sha, author_account_id, merged_by_account_id, merged_at)
       SELECT ${u("'mr' || n")}, ${u("'project'")}, n, 'Change ' || n, CASE WHEN n % 50 = 0 THEN 'opened' ELSE 'merged' END, 'h' || n, 'm' || n,
              ${u("'gl' || (n % 20)")}, ${u("'gl' || ((n + 1) % 20)")}, timestamptz '2026-01-01' + make_interval(secs => n)
       FROM generate_series(1, $1) n`,
      [n],
    );
    await client.query(
      `INSERT INTO merge_request_approval (merge_request_id, account_id, approved_at)
       SELECT ${u("'mr' || n")}, ${u("'gl' || CASE WHEN k = 1 AND n % 97 = 0 THEN n % 20 ELSE (n + 1 + k) % 20 END")}, timestamptz '2026-01-01' + make_interval(secs => n)
       FROM generate_series(1, $1) n, generate_series(1, 2) k`,
      [n],
    );
    await client.query(`INSERT INTO commit (project_id, sha, author_email) SELECT ${u("'project'")}, 'c' || n, 'u' || (n % 20) || '@acme.test' FROM generate_series(1, $1) n`, [n]);
    await client.query(`INSERT INTO merge_request_commit (merge_request_id, sha) SELECT ${u("'mr' || n")}, 'c' || n FROM generate_series(1, $1) n`, [n]);
    await client.query(
      `INSERT INTO pipeline (id, project_id, external_id, ref, sha, status, created_at)
       SELECT ${u("'pl' || n")}, ${u("'project'")}, 'p' || n, 'main', 'm' || n, CASE WHEN n % 40 = 0 THEN 'failed' ELSE 'success' END, timestamptz '2026-01-01' + make_interval(secs => n)
       FROM generate_series(1, $1) n`,
      [n],
    );
    await client.query(`INSERT INTO ci_job (id, pipeline_id, project_id, external_id, name, status) SELECT ${u("'cj' || n")}, ${u("'pl' || n")}, ${u("'project'")}, 'j' || n, 'build', 'success' FROM generate_series(1, $1) n`, [n]);
    await client.query(
      `INSERT INTO build (id, external_id, pipeline_slug, number, state, commit_sha, gitlab_project_path, gitlab_pipeline_id, gitlab_mr_iid)
       SELECT ${u("'b' || n")}, 'b' || n, 'deploy', n, 'passed', 'm' || n, 'acme/bench', 'p' || n, n FROM generate_series(1, $1) n`,
      [n],
    );
    await client.query(
      `INSERT INTO build_job (id, build_id, external_id, type, label, state, unblocked_by_account_id, unblocked_at)
       SELECT ${u("'g' || n")}, ${u("'b' || n")}, 'g' || n, 'manual', 'Deploy?', 'unblocked', ${u("'bk' || (n % 5)")}, timestamptz '2026-01-01' + make_interval(secs => n) FROM generate_series(1, $1) n
       UNION ALL
       SELECT ${u("'bj' || n")}, ${u("'b' || n")}, 'bj' || n, 'script', 'deploy', 'passed', NULL, NULL FROM generate_series(1, $1) n`,
      [n],
    );
    await client.query(
      `INSERT INTO credential (id, key, kind, provider, issuer, subject, audience, issued_at, expires_at, job_external_id, ref, environment, claims)
       SELECT gen_random_uuid(), 'https://agent.buildkite.com|k' || n, 'oidc', 'buildkite', 'https://agent.buildkite.com', 'organization:acme:pipeline:deploy:ref:refs/heads/main:job:bj' || n, 'sts.amazonaws.com',
              timestamptz '2026-01-01' + make_interval(secs => n), timestamptz '2026-01-01' + make_interval(secs => n + CASE WHEN n % 100 = 0 THEN 7200 ELSE 300 END),
              'bj' || n, 'refs/heads/main', 'production', '{}'::jsonb
       FROM generate_series(1, $1) n`,
      [n],
    );
    await client.query(
      `INSERT INTO role_session (id, event_id, role_arn, session_name, subject, issued_at, expires_at, job_external_id)
       SELECT gen_random_uuid(), 'e' || n, 'arn:aws:iam::1:role/deploy', 'buildkite-job-bj' || n, 'organization:acme:pipeline:deploy:ref:refs/heads/main:job:bj' || n,
              timestamptz '2026-01-01' + make_interval(secs => n + 5), timestamptz '2026-01-01' + make_interval(secs => n + 3605), 'bj' || n
       FROM generate_series(1, $1) n`,
      [n],
    );
    await client.query(
      `INSERT INTO deployment (id, provider, external_id, project_id, environment, status, commit_sha, build_external_id, triggered_by_account_id, occurred_at)
       SELECT ${u("'d' || n")}, 'buildkite', 'd' || n, ${u("'project'")}, CASE WHEN n % 2 = 0 THEN 'production' ELSE 'staging' END, 'success', 'm' || n, 'b' || n,
              ${u("'gl' || ((n + 5) % 20)")}, timestamptz '2026-01-01' + make_interval(secs => n + 60)
       FROM generate_series(1, $1) n`,
      [n],
    );
    await client.query("COMMIT");
    await client.query("ANALYZE");
  } finally {
    await client.end();
  }
}

// ---- Evidence packs -------------------------------------------------------------------------------

const packDeliveries = Number(process.env.BENCH_PACK_DELIVERIES ?? 100_000);
const packTargets = { pack10kSeconds: 30, verify100kSeconds: 30 };

/** `n` deliveries of about 4 KB (GitLab push-like JSON), received a second apart from 2026-03-01. */
async function seedDeliveries(url: string, n: number): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO delivery (id, source, event_type, dedupe_key, body, headers, sha256, byte_length, verify_method, verify_result, received_at)
       SELECT md5('dl' || n)::uuid, 'gitlab', 'Push Hook', 'dl' || n, b.body, jsonb_build_object('x-gitlab-event', 'Push Hook', 'x-gitlab-event-uuid', md5('dl' || n)::uuid::text),
              encode(sha256(b.body), 'hex'), length(b.body), 'token', 'ok', timestamptz '2026-03-01' + make_interval(secs => n)
       FROM generate_series(1, $1) n,
            LATERAL (SELECT convert_to('{"object_kind":"push","n":' || n || ',"commits":"' || repeat(md5(n::text), 125) || '"}', 'UTF8') AS body) b`,
      [n],
    );
    await client.query("ANALYZE delivery");
  } finally {
    await client.end();
  }
}

/**
 * Seeds BENCH_PACK_DELIVERIES deliveries, appends them to the ledger and signs a checkpoint (not
 * timed), then times exportEvidencePack for the first 10,000 and verifyPack on a pack of all of them.
 */
async function benchPack(url: string): Promise<{ pack10k: number; verify100k: number }> {
  const { generateKeyPairSync } = await import("node:crypto");
  const { createWriteStream } = await import("node:fs");
  const { mkdtemp, rm, stat } = await import("node:fs/promises");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const { finished } = await import("node:stream/promises");
  process.env.CUSTODY_SIGNING_KEY = generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  const { resetEnvCache } = await import("../lib/env.ts");
  resetEnvCache();
  const { getPool, closeDb } = await import("../lib/db/index.ts");
  const { appendToLedger } = await import("../lib/evidence/append-to-ledger.ts");
  const { createCheckpoint } = await import("../lib/evidence/create-checkpoint.ts");
  const { getSigningKey } = await import("../lib/evidence/get-signing-key.ts");
  const { exportEvidencePack } = await import("../lib/evidence/pack/export-evidence-pack.ts");
  const { verifyPack } = await import("../lib/evidence/pack/verify-pack.mjs");

  let start = performance.now();
  await seedDeliveries(url, packDeliveries);
  const pool = getPool();
  while ((await appendToLedger(pool, { limit: 2000 })) > 0);
  const key = getSigningKey();
  if (key.status !== "ok") throw new Error("bench signing key unusable");
  await createCheckpoint(pool, key);
  console.log(`pack: seeded ${packDeliveries} deliveries of ~4 KB, appended to the ledger and signed a checkpoint in ${((performance.now() - start) / 1000).toFixed(1)} s`);

  const dir = await mkdtemp(join(tmpdir(), "custody-bench-pack-"));
  const actor = { type: "cli", id: null, label: "cli:bench" } as const;
  const exportTo = async (file: string, last: number) => {
    const out = createWriteStream(file);
    const t = performance.now();
    await exportEvidencePack({ from: "2026-03-01T00:00:00Z", to: new Date(Date.UTC(2026, 2, 1) + (last + 1) * 1000).toISOString(), environment: [] }, actor, out);
    out.end();
    await finished(out);
    return { seconds: (performance.now() - t) / 1000, bytes: (await stat(file)).size };
  };
  try {
    const small = join(dir, "pack10k.zip");
    const ten = await exportTo(small, Math.min(10_000, packDeliveries));
    const tenCheck = verifyPack(small);
    if (!tenCheck.ok || tenCheck.deliveries !== Math.min(10_000, packDeliveries)) throw new Error(`the 10k pack does not verify: ${JSON.stringify(tenCheck)}`);
    const big = join(dir, "pack100k.zip");
    const all = await exportTo(big, packDeliveries);
    start = performance.now();
    const result = verifyPack(big, { pinnedFingerprint: key.fingerprint });
    const verifySeconds = (performance.now() - start) / 1000;
    if (!result.ok || result.deliveries !== packDeliveries) throw new Error(`the full pack does not verify: ${JSON.stringify(result)}`);
    console.log(
      `pack: ${Math.min(10_000, packDeliveries)} deliveries packed in ${ten.seconds.toFixed(1)} s (${(ten.bytes / 1024 / 1024).toFixed(0)} MiB; target <= ${packTargets.pack10kSeconds} s ${ten.seconds <= packTargets.pack10kSeconds ? "met" : "MISSED"}); ` +
        `${packDeliveries} packed in ${all.seconds.toFixed(1)} s (${(all.bytes / 1024 / 1024).toFixed(0)} MiB, ${result.files} files) and verified in ${verifySeconds.toFixed(1)} s ` +
        `(target <= ${packTargets.verify100kSeconds} s ${verifySeconds <= packTargets.verify100kSeconds ? "met" : "MISSED"})`,
    );
    return { pack10k: ten.seconds, verify100k: verifySeconds };
  } finally {
    await closeDb();
    await rm(dir, { recursive: true, force: true });
  }
}

/** CPU seconds the whole machine has spent busy (user, nice, system), from /proc/stat (in USER_HZ, 100 per second on Linux); null where there is none. */
function machineBusySeconds(): number | null {
  try {
    const [user, nice, system] = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1, 4).map(Number);
    return (user! + nice! + system!) / 100;
  } catch {
    return null;
  }
}

/** Streams the change-management CSV for every seeded deployment; logs rows/s, Node CPU per row and peak RSS. */
async function benchCsv(): Promise<{ rate: number; rssMb: number }> {
  const { createHash } = await import("node:crypto");
  const { buildChangeManagementReport } = await import("../lib/reports/build-change-management-report.ts");
  const { writeReportCsv } = await import("../lib/reports/write-report-csv.ts");
  const { closeDb } = await import("../lib/db/index.ts");
  const hash = process.env.BENCH_CSV_SHA256 === "1" ? createHash("sha256") : null;
  const baselineRss = process.memoryUsage().rss;
  let peakRss = baselineRss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 20);
  let batches = 0;
  const report = buildChangeManagementReport(
    { from: "2026-01-01T00:00:00Z", to: "2027-01-01T00:00:00Z", environment: [], format: "csv" },
    { onBatch: () => (batches += 1) },
  );
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  const machineStart = machineBusySeconds();
  let bytes = 0;
  const reader = writeReportCsv(report).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    hash?.update(value);
  }
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const machineEnd = machineBusySeconds();
  const nodeCpuSeconds = (cpu.user + cpu.system) / 1e6;
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  const summary = report.summary() as { deployments: number; exceptions: number };
  await closeDb();
  if (summary.deployments !== count) throw new Error(`expected ${count} rows, streamed ${summary.deployments}`);
  const rate = Math.round(summary.deployments / seconds);
  const rssMb = Math.round(peakRss / 1024 / 1024);
  console.log(
    `streamed ${summary.deployments} rows (${(bytes / 1024 / 1024).toFixed(1)} MiB CSV, ${batches} batches, ${summary.exceptions} with findings) in ${seconds.toFixed(2)} s; ` +
      `targets: >= ${targets.rowsPerSecond} rows/s ${rate >= targets.rowsPerSecond ? "met" : "MISSED"}, rss < ${targets.rssMb} MB ${rssMb < targets.rssMb ? "met" : "MISSED"}`,
  );
  console.log(
    `node CPU ${nodeCpuSeconds.toFixed(2)} s (${Math.round(summary.deployments / nodeCpuSeconds)} rows per CPU-second); rss before the export ${Math.round(baselineRss / 1024 / 1024)} MB; ` +
      `machine load average ${loadavg().map((l) => l.toFixed(1)).join(" ")} on ${cpus().length} CPUs (other work on the machine slows the rate)`,
  );
  if (machineStart !== null && machineEnd !== null) {
    const machine = machineEnd - machineStart;
    console.log(
      `machine CPU during the export ${machine.toFixed(1)} s of ${(seconds * cpus().length).toFixed(1)} s available: this process ${nodeCpuSeconds.toFixed(1)} s, ` +
        `everything else (Postgres on an otherwise idle machine) ${(machine - nodeCpuSeconds).toFixed(1)} s`,
    );
  }
  if (hash) console.log(`csv sha256 ${hash.digest("hex")}`);
  return { rate, rssMb };
}

async function main(): Promise<void> {
  if (reuseDb) {
    if (parts.has("pack")) throw new Error("BENCH_EXPORT_DB measures the CSV only: set BENCH_EXPORT_PARTS=csv");
    process.env.DATABASE_URL = withDb(reuseDb);
    const csv = await benchCsv();
    console.log(`export: csv=${csv.rate}/s rss=${csv.rssMb}MB`);
    return;
  }
  await admin(`CREATE DATABASE "${dbName}"`);
  const url = withDb(dbName);
  try {
    await migrateDatabase(url);
    process.env.DATABASE_URL = url;
    const figures: string[] = [];
    if (parts.has("csv")) {
      const seedStart = performance.now();
      await seed(url, count);
      console.log(`seeded ${count} deployments with their chains in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);
      const csv = await benchCsv();
      figures.push(`csv=${csv.rate}/s rss=${csv.rssMb}MB`);
    }
    if (parts.has("pack")) {
      const pack = await benchPack(url);
      figures.push(`pack10k=${pack.pack10k.toFixed(1)}s verify100k=${pack.verify100k.toFixed(1)}s`);
    }
    console.log(`export: ${figures.join(" ")}`);
  } finally {
    if (process.env.BENCH_KEEP_DB !== "1") await admin(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    else console.log(`kept database ${dbName}`);
  }
}

await main();
