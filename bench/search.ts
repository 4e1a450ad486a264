// `npm run bench:search`: timeline, receipt and overview latency on a large generated graph in real
// Postgres, measured through the same domain functions the API calls. Seeds once into its own database
// (reused while the generator version and size match). What is seeded and measured: bench/README.md.
// Ends with exactly one line:
//   search: filter_p95=<ms>ms text_p95=<ms>ms receipt_p95=<ms>ms
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { applyMigrations } from "../lib/db/apply-migrations.ts";
import { cpuSnapshot, cpuUsage, sampleLoad } from "./lib/cpu.ts";
import { defaultSize, GENERATOR_VERSION, runSeed, seededTables, type TSeedSize } from "./lib/search-seed.ts";
import { round, summarize, type TSummary } from "./lib/stats.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const resultsDir = join(root, "bench", "results");

function num(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer (got ${JSON.stringify(raw)})`);
  return value;
}

const size: TSeedSize = {
  ...defaultSize,
  events: num("BENCH_SEARCH_EVENTS", defaultSize.events),
  mergeRequests: num("BENCH_SEARCH_MRS", Math.round((defaultSize.mergeRequests * num("BENCH_SEARCH_EVENTS", defaultSize.events)) / defaultSize.events)),
};
const settings = {
  serverUrl: process.env.DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/postgres",
  database: process.env.BENCH_SEARCH_DB || "custody_bench_search",
  samples: num("BENCH_SEARCH_SAMPLES", 40),
  reseed: process.env.BENCH_SEARCH_RESEED === "1",
  maxSeedAgeDays: num("BENCH_SEARCH_MAX_AGE_DAYS", 14),
  enforce: process.env.BENCH_ENFORCE === "1",
};
const targets = { filterP95Ms: 100, textP95Ms: 250, receiptP95Ms: 150, overviewMs: 1000 };

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

const log = (line: string) => console.log(line);

// ---------------------------------------------------------------------------------------------------
// The database: created once, migrated every run, seeded when missing, stale or of another generator.
// ---------------------------------------------------------------------------------------------------

type TSeedInfo = { version: number; size: TSeedSize; seededAt: string; seconds: number; reused: boolean; counts: Record<string, number> };

async function prepareDatabase(databaseUrl: string): Promise<TSeedInfo> {
  const server = new pg.Client({ connectionString: settings.serverUrl });
  await server.connect();
  try {
    const { rowCount } = await server.query("SELECT 1 FROM pg_database WHERE datname = $1", [settings.database]);
    if (!rowCount) {
      log(`creating database ${settings.database}`);
      await server.query(`CREATE DATABASE "${settings.database.replaceAll('"', '""')}"`);
    }
  } finally {
    await server.end();
  }
  const migrated = await applyMigrations(databaseUrl, join(root, "prisma", "migrations"));
  if (migrated.applied.length) log(`applied migrations: ${migrated.applied.join(", ")}`);

  const client = new pg.Client({ connectionString: databaseUrl, application_name: "custody-bench-search" });
  await client.connect();
  try {
    await client.query("CREATE SCHEMA IF NOT EXISTS bench_meta");
    await client.query("CREATE TABLE IF NOT EXISTS bench_meta.seed (version int NOT NULL, size jsonb NOT NULL, seeded_at timestamptz NOT NULL, seconds float8 NOT NULL)");
    const { rows } = await client.query<{ version: number; size: TSeedSize; seeded_at: Date; seconds: number }>("SELECT * FROM bench_meta.seed");
    const previous = rows[0];
    const fresh =
      previous &&
      previous.version === GENERATOR_VERSION &&
      (Object.keys(size) as (keyof TSeedSize)[]).every((key) => previous.size[key] === size[key]) &&
      Date.now() - previous.seeded_at.getTime() < settings.maxSeedAgeDays * 86_400_000;
    if (fresh && !settings.reseed) {
      log(`reusing the seed of ${previous.seeded_at.toISOString()} (generator v${GENERATOR_VERSION})`);
      // New indexes from a migration need statistics; cheap when nothing changed.
      if (migrated.applied.length) await client.query("VACUUM ANALYZE");
      else await client.query("ANALYZE");
      return { version: previous.version, size, seededAt: previous.seeded_at.toISOString(), seconds: previous.seconds, reused: true, counts: await countRows(client) };
    }
    log(`seeding ${settings.database}: ${size.events} timeline events, ${size.mergeRequests} merge requests (generator v${GENERATOR_VERSION})`);
    const started = performance.now();
    const end = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
    await client.query("DELETE FROM bench_meta.seed");
    await client.query(`TRUNCATE ${seededTables.join(", ")} CASCADE`);
    // Load without secondary indexes, then build them from their own definitions (the migrations' indexes).
    const { rows: indexes } = await client.query<{ name: string; def: string }>(
      `SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
       WHERE i.schemaname = 'public' AND i.tablename = ANY($1)
         AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass)`,
      [seededTables],
    );
    for (const index of indexes) await client.query(`DROP INDEX "${index.name}"`);
    try {
      await client.query("SET maintenance_work_mem = '512MB'");
      await client.query("SET work_mem = '256MB'");
      await runSeed(client, size, end, log);
    } finally {
      const indexStarted = performance.now();
      await buildIndexes(databaseUrl, indexes.map((i) => i.def));
      log(`  indexes (${indexes.length}): ${((performance.now() - indexStarted) / 1000).toFixed(1)} s`);
    }
    await client.query("DROP SCHEMA IF EXISTS bench CASCADE");
    const vacuumStarted = performance.now();
    await client.query("VACUUM ANALYZE");
    log(`  vacuum analyze: ${((performance.now() - vacuumStarted) / 1000).toFixed(1)} s`);
    const seconds = round((performance.now() - started) / 1000);
    await client.query("INSERT INTO bench_meta.seed (version, size, seeded_at, seconds) VALUES ($1, $2, now(), $3)", [GENERATOR_VERSION, size, seconds]);
    log(`seeded in ${seconds} s`);
    return { version: GENERATOR_VERSION, size, seededAt: new Date().toISOString(), seconds, reused: false, counts: await countRows(client) };
  } finally {
    await client.end();
  }
}

/** Builds indexes two at a time (one per core here), the GIN ones first since they take longest. */
async function buildIndexes(databaseUrl: string, definitions: string[]): Promise<void> {
  const queue = [...definitions].sort((a, b) => Number(/USING gin/i.test(b)) - Number(/USING gin/i.test(a)));
  const worker = async () => {
    const client = new pg.Client({ connectionString: databaseUrl, application_name: "custody-bench-search" });
    await client.connect();
    try {
      await client.query("SET maintenance_work_mem = '512MB'");
      for (let def = queue.shift(); def; def = queue.shift()) await client.query(def);
    } finally {
      await client.end();
    }
  };
  await Promise.all([worker(), worker()]);
}

async function countRows(client: pg.Client): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of ["timeline_event", "deployment", "delivery", "fact_evidence", "merge_request", "pipeline", "ci_job", "build", "build_job", "credential", "role_session", "project", "account"]) {
    const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${table}"`);
    counts[table] = rows[0]?.n ?? 0;
  }
  return counts;
}

// ---------------------------------------------------------------------------------------------------
// Parameters: drawn from the seeded data (deterministic order), so every query has something to find.
// ---------------------------------------------------------------------------------------------------

/** mulberry32: a small seeded PRNG so runs draw the same parameters in the same order. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type TParams = Record<string, string[]>;

async function drawParameters(databaseUrl: string): Promise<{ params: TParams; span: { from: number; to: number }; deploymentIds: string[] }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const list = async (sql: string, values: unknown[] = []) => (await client.query<{ v: string }>(sql, values)).rows.map((r) => r.v);
  try {
    const n = settings.samples;
    const { rows: spanRows } = await client.query<{ min: Date; max: Date }>("SELECT min(occurred_at) AS min, max(occurred_at) AS max FROM timeline_event");
    const span = { from: spanRows[0]!.min.getTime(), to: spanRows[0]!.max.getTime() };
    const params: TParams = {
      project: await list("SELECT path AS v FROM project ORDER BY md5(path) LIMIT $1", [n]),
      environment: [
        "production",
        "staging",
        ...(await list("SELECT DISTINCT environment AS v FROM deployment WHERE environment LIKE 'review/%' ORDER BY 1 LIMIT 6")),
        "no-such-environment",
      ],
      person: await list(
        "SELECT v FROM (SELECT DISTINCT actor AS v FROM timeline_event WHERE id % 97 = 0 AND actor IS NOT NULL) a ORDER BY md5(v) LIMIT $1",
        [n],
      ),
      kind: ["merge_request", "pipeline", "job", "deploy", "deployment", "gate", "credential", "role_session", "release", "push", "build",
        "merge_request.approved", "gate.unblocked", "deploy.failed", "pipeline.failed", "release.create", "no-such-kind"],
      shaFull: await list("SELECT merge_commit_sha AS v FROM merge_request WHERE merge_commit_sha IS NOT NULL ORDER BY md5(id::text) LIMIT $1", [n]),
      shaShort: (await list("SELECT head_sha AS v FROM merge_request ORDER BY md5(id::text || 's') LIMIT $1", [n])).map((s, i) => s.slice(0, 7 + (i % 4))),
      mrRef: await list("SELECT p.path || '!' || m.iid AS v FROM merge_request m JOIN project p ON p.id = m.project_id ORDER BY md5(m.id::text || 'r') LIMIT $1", [n]),
      pipeline: (await list("SELECT external_id AS v FROM pipeline ORDER BY md5(id::text) LIMIT $1", [n])).map((v, i) => (i % 2 ? `#${v}` : v)),
      buildNumber: await list("SELECT number::text AS v FROM build ORDER BY md5(id::text) LIMIT $1", [n]),
      jobId: await list("SELECT external_id AS v FROM ci_job ORDER BY md5(id::text) LIMIT $1", [n]),
      // Free text: MR-title words, branches, usernames and people's names, build messages, rare and absent strings.
      textTitle: ["retry logic", "refund", "idempotency", "Postgres pool", "rate limiter", "OIDC audience", "settlement batch", "Revert",
        "cache invalidation", "dead letter", "Terraform", "3DS challenge", "webhook signature", "log redaction", "tax rules"],
      textBranch: await list("SELECT source_branch AS v FROM merge_request ORDER BY md5(id::text || 'b') LIMIT $1", [Math.ceil(n / 2)]).then((b) => [
        ...b,
        "renovate/",
        "feature/csv-import",
        "fix/timeout-handling",
      ]),
      textUser: await list(
        "SELECT v FROM (SELECT DISTINCT coalesce(username, name) AS v FROM account) a ORDER BY md5(v) LIMIT $1",
        [Math.ceil(n / 2)],
      ).then((u) => [...u, "grace", "Smith", "o.rob"]),
      textRare: [
        ...(await list("SELECT substring(title from 'CVE-2026-[0-9]+') AS v FROM merge_request WHERE title LIKE '%CVE-%' ORDER BY md5(id::text) LIMIT $1", [
          Math.ceil(n / 2),
        ])),
        "definitely-not-there",
        "zzqx",
        "100%",
        "payments-api!",
      ],
    };
    const deploymentIds = await list("SELECT id::text AS v FROM deployment ORDER BY md5(id::text) LIMIT $1", [n * 5]);
    return { params, span, deploymentIds };
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------------------------------------------
// Measurement.
// ---------------------------------------------------------------------------------------------------

type TTask = { group: "filter" | "identifier" | "text" | "receipt" | "deployments"; name: string; run: () => Promise<unknown> };

async function main(): Promise<number> {
  const databaseUrl = withDatabase(settings.serverUrl, settings.database);
  const seed = await prepareDatabase(databaseUrl);
  log(`rows: ${Object.entries(seed.counts).map(([t, c]) => `${t}=${c}`).join(" ")}`);

  // The domain modules read DATABASE_URL through lib/env on first use.
  process.env.DATABASE_URL = databaseUrl;
  const { findTimelineEvents } = await import("../lib/domain/find-timeline-events.ts");
  const { getDeployReceipt } = await import("../lib/domain/get-deploy-receipt.ts");
  const { getOverview } = await import("../lib/domain/get-overview.ts");
  const { findDeployments } = await import("../lib/domain/find-deployments.ts");
  const { ZTimelineQuery } = await import("../lib/contracts/timeline.ts");
  const { ZDeploymentsQuery } = await import("../lib/contracts/deployments.ts");
  const { closeDb } = await import("../lib/db/index.ts");

  const { params, span, deploymentIds } = await drawParameters(databaseUrl);
  const random = prng(20261126);
  const pickOne = <T>(values: T[]): T => values[Math.floor(random() * values.length)]!;
  const timeline = (input: Record<string, unknown>) => findTimelineEvents(ZTimelineQuery.parse(input));
  // Page 2 of a filtered view: the same filter with the cursor page 1 returned.
  const secondPage = async (input: Record<string, unknown>) => {
    const first = await timeline(input);
    return first.nextCursor ? timeline({ ...input, cursor: first.nextCursor }) : first;
  };
  const windows = [3_600_000, 86_400_000, 7 * 86_400_000, 30 * 86_400_000];
  const timeWindow = () => {
    const width = pickOne(windows);
    const start = span.from + random() * (span.to - span.from - width);
    return { from: new Date(start).toISOString(), to: new Date(start + width).toISOString() };
  };

  const tasks: TTask[] = [];
  const add = (group: TTask["group"], name: string, make: () => () => Promise<unknown>) => {
    for (let i = 0; i < settings.samples; i++) tasks.push({ group, name, run: make() });
  };
  add("filter", "none", () => () => timeline({}));
  add("filter", "project", () => { const project = pickOne(params.project!); return () => timeline({ project }); });
  add("filter", "environment", () => { const environment = pickOne(params.environment!); return () => timeline({ environment }); });
  add("filter", "person", () => { const person = pickOne(params.person!); return () => timeline({ person }); });
  add("filter", "kind", () => { const kind = pickOne(params.kind!); return () => timeline({ kind }); });
  add("filter", "time_range", () => { const range = timeWindow(); return () => timeline(range); });
  add("filter", "page_2", () => {
    const choice = Math.floor(random() * 4);
    const input = choice === 0 ? { project: pickOne(params.project!) } : choice === 1 ? { person: pickOne(params.person!) } : choice === 2 ? { kind: pickOne(params.kind!) } : timeWindow();
    return () => secondPage(input);
  });
  add("identifier", "sha_full", () => { const q = pickOne(params.shaFull!); return () => timeline({ q }); });
  add("identifier", "sha_short", () => { const q = pickOne(params.shaShort!); return () => timeline({ q }); });
  add("identifier", "mr_ref", () => { const q = pickOne(params.mrRef!); return () => timeline({ q }); });
  add("identifier", "pipeline", () => { const q = pickOne(params.pipeline!); return () => timeline({ q }); });
  add("identifier", "build_number", () => { const q = pickOne(params.buildNumber!); return () => timeline({ q }); });
  add("identifier", "job_id", () => { const q = pickOne(params.jobId!); return () => timeline({ q }); });
  add("text", "title", () => { const q = pickOne(params.textTitle!); return () => timeline({ q }); });
  add("text", "branch", () => { const q = pickOne(params.textBranch!); return () => timeline({ q }); });
  add("text", "user", () => { const q = pickOne(params.textUser!); return () => timeline({ q }); });
  add("text", "rare_or_absent", () => { const q = pickOne(params.textRare!); return () => timeline({ q }); });
  for (let i = 0; i < settings.samples * 5; i++) {
    const id = deploymentIds[i % deploymentIds.length]!;
    tasks.push({ group: "receipt", name: "receipt", run: () => getDeployReceipt(id) });
  }
  add("deployments", "none", () => () => findDeployments(ZDeploymentsQuery.parse({})));
  add("deployments", "environment", () => { const environment = pickOne(["production", "staging"]); return () => findDeployments(ZDeploymentsQuery.parse({ environment })); });
  add("deployments", "project", () => { const project = pickOne(params.project!); return () => findDeployments(ZDeploymentsQuery.parse({ project })); });

  // Shuffle so no class runs only on a cold or only on a warm cache; one warm-up pass first.
  for (let i = tasks.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [tasks[i], tasks[j]] = [tasks[j]!, tasks[i]!];
  }
  log(`warming up (${Math.min(tasks.length, 200)} queries)`);
  for (const task of tasks.slice(0, 200)) await task.run();
  log(`measuring ${tasks.length} queries one at a time`);
  const samples = new Map<string, number[]>();
  const started = performance.now();
  const cpuBefore = cpuSnapshot();
  const load = sampleLoad();
  for (const task of tasks) {
    const t0 = performance.now();
    await task.run();
    const ms = performance.now() - t0;
    const key = `${task.group}.${task.name}`;
    samples.set(key, [...(samples.get(key) ?? []), ms]);
  }
  const measureSeconds = round((performance.now() - started) / 1000);

  const overviewMs: Record<string, number[]> = { "30": [], "90": [] };
  for (let i = 0; i < 5; i++) {
    for (const days of [30, 90] as const) {
      const t0 = performance.now();
      await getOverview(days);
      overviewMs[String(days)]!.push(performance.now() - t0);
    }
  }
  const cpu = cpuUsage(cpuBefore, cpuSnapshot(), {});
  const loadSeen = load.stop();
  await closeDb();

  const classes: Record<string, TSummary> = {};
  for (const [key, values] of [...samples].sort(([a], [b]) => a.localeCompare(b))) classes[key] = summarize(values);
  const groupOf = (prefixes: string[]) => Object.entries(classes).filter(([key]) => prefixes.some((p) => key.startsWith(`${p}.`)));
  // The target holds for every single filter and every identifier kind, so the headline is the worst class's p95.
  const worst = (prefixes: string[]) => Math.max(...groupOf(prefixes).map(([, s]) => s.p95));
  const filterP95 = worst(["filter", "identifier"]);
  const textP95 = worst(["text"]);
  const receiptP95 = classes["receipt.receipt"]!.p95;
  const deploymentsP95 = worst(["deployments"]);
  const overview = { "30": summarize(overviewMs["30"]!), "90": summarize(overviewMs["90"]!) };
  const overviewMax = Math.max(overview["30"].max, overview["90"].max);

  log("");
  log("class                              n     p50     p95     max  (ms)");
  for (const [key, s] of Object.entries(classes)) {
    log(`${key.padEnd(32)} ${String(s.n).padStart(4)} ${String(s.p50).padStart(7)} ${String(s.p95).padStart(7)} ${String(s.max).padStart(7)}`);
  }
  const result = {
    startedAt: new Date(Date.now() - measureSeconds * 1000).toISOString(),
    machine: { cpus: cpus().length, loadavg: loadavg(), load: loadSeen, cpu },
    database: settings.database,
    seed,
    samplesPerClass: settings.samples,
    measureSeconds,
    classes,
    overview,
    headline: { filterP95, textP95, receiptP95, deploymentsP95, overviewMaxMs: round(overviewMax) },
    targets,
    pass: filterP95 <= targets.filterP95Ms && textP95 <= targets.textP95Ms && receiptP95 <= targets.receiptP95Ms && overviewMax <= targets.overviewMs,
  };
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `search-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  log("");
  log(`result: ${relative(root, file)}`);
  if (cpu) {
    log(
      `machine during the run: ${cpu.machineBusyCores} of ${cpus().length} cores busy (this process ${cpu.benchCores}, Postgres ${cpu.postgresCores}, ` +
        `other work ${cpu.otherCores}); load average up to ${loadSeen.max}`,
    );
  }
  log(`deployments list: p95=${deploymentsP95}ms`);
  log(`overview: 30d p50=${overview["30"].p50}ms max=${overview["30"].max}ms, 90d p50=${overview["90"].p50}ms max=${overview["90"].max}ms`);
  log(`search: filter_p95=${filterP95}ms text_p95=${textP95}ms receipt_p95=${receiptP95}ms`);
  return settings.enforce && !result.pass ? 1 : 0;
}

process.exitCode = await main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  return 1;
});
