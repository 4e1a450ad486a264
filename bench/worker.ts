// `npm run bench:worker`: the delivery worker alone, without HTTP. Story deliveries
// (tests/fixtures/story.ts, seeds 1, 2, 3 …) are stored with the receivers' own `recordDelivery` into a
// fresh database, and one `custody worker` process (as `custody start` runs it) processes them:
//   backlog — BENCH_WORKER_BACKLOG_STORIES stories are stored first, then the worker starts; the
//             figure is deliveries processed per second until none is waiting;
//   paced   — with the worker running, deliveries are stored at BENCH_WORKER_RATE/s for
//             BENCH_WORKER_SECONDS; lag = first poll (every 25 ms) that sees processed_at − store commit.
// The paced phase runs on the database the backlog phase left behind (as a busy install would).
// Ends with exactly one line:
//   worker: backlog=<n>/s lag_p50=<ms>ms lag_p95=<ms>ms
import { closeSync, mkdirSync, openSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { applyMigrations } from "../lib/db/apply-migrations.ts";
import { recordDelivery } from "../lib/ingest/record-delivery.ts";
import { buildStory } from "../tests/fixtures/story.ts";
import { cpuSnapshot, cpuUsage, sampleLoad, type TCpuUsage } from "./lib/cpu.ts";
import { killGroup, spawnGroup } from "./lib/processes.ts";
import { nowMs, round, sleep, summarize, type TSummary } from "./lib/stats.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const resultsDir = join(root, "bench", "results");

function num(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number ≥ 0 (got ${JSON.stringify(raw)})`);
  return value;
}

const settings = {
  serverUrl: process.env.DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/postgres",
  backlogStories: num("BENCH_WORKER_BACKLOG_STORIES", 100),
  rate: num("BENCH_WORKER_RATE", 100),
  seconds: num("BENCH_WORKER_SECONDS", 20),
  timeoutSeconds: num("BENCH_WORKER_TIMEOUT_SECONDS", 600),
  keepDatabase: process.env.BENCH_KEEP_DB === "1",
};

const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

type TStored = { id: string; storedAt: number; seenAt?: number };

let seedCounter = 0;
/** The next story's deliveries, in story order, with a dedupe key unique to this run. */
function nextStory(): Array<{ source: "gitlab" | "buildkite"; event: string; body: Buffer; dedupeKey: string }> {
  seedCounter += 1;
  const seed = seedCounter;
  return buildStory({ seed }).map((d, index) => ({ source: d.source, event: d.event, body: Buffer.from(d.body), dedupeKey: `bench-worker:${seed}:${index}` }));
}

async function store(pool: pg.Pool, d: ReturnType<typeof nextStory>[number]): Promise<string | null> {
  const result = await recordDelivery(pool, {
    source: d.source,
    eventType: d.event,
    dedupeKey: d.dedupeKey,
    body: d.body,
    headers: {},
    verifyMethod: "bench",
    verifyResult: "ok",
  });
  return result.duplicate ? null : result.id;
}

async function waiting(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM delivery WHERE processing_state IN ('received', 'pending')");
  return rows[0]?.n ?? 0;
}

async function states(pool: pg.Pool): Promise<Record<string, number>> {
  const { rows } = await pool.query<{ state: string; n: number }>("SELECT processing_state::text AS state, count(*)::int AS n FROM delivery GROUP BY 1");
  return Object.fromEntries(rows.map((r) => [r.state, r.n]));
}

async function main(): Promise<string[]> {
  const started = new Date();
  const stamp = started.toISOString().replace(/[:.]/g, "-");
  mkdirSync(resultsDir, { recursive: true });
  const dbName = `custody_bench_worker_${process.pid}`;
  const dbUrl = new URL(settings.serverUrl);
  dbUrl.pathname = `/${dbName}`;
  const admin = new pg.Client({ connectionString: settings.serverUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${dbName}"`);
  const cleanups: Array<() => Promise<void>> = [
    async () => {
      if (!settings.keepDatabase) await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
      await admin.end();
    },
  ];
  const cleanup = async () => {
    for (const run of cleanups.splice(0).reverse()) await run().catch((error: Error) => console.error(`cleanup: ${error.message}`));
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void cleanup().finally(() => process.exit(130)));
  try {
    await applyMigrations(dbUrl.toString(), join(root, "prisma", "migrations"));
    log(`created and migrated ${dbName}`);
    const pool = new pg.Pool({ connectionString: dbUrl.toString(), max: 8, application_name: "custody-bench-worker" });
    pool.on("error", () => {});
    cleanups.push(() => pool.end());

    // Backlog: store first, then start the worker.
    const backlogIds: string[] = [];
    for (let s = 0; s < settings.backlogStories; s++) {
      const ids = await Promise.all(nextStory().map((d) => store(pool, d)));
      for (const id of ids) if (id) backlogIds.push(id);
    }
    log(`stored a backlog of ${backlogIds.length} deliveries (${settings.backlogStories} stories)`);

    const logPath = join(resultsDir, `worker-${stamp}.log`);
    const logFd = openSync(logPath, "a");
    cleanups.push(async () => closeSync(logFd));
    const { NODE_ENV: _nodeEnv, ...inherited } = process.env;
    const worker = spawnGroup("worker", process.execPath, [join(root, "bin", "custody.mjs"), "worker"], {
      cwd: root,
      env: { ...inherited, DATABASE_URL: dbUrl.toString(), CUSTODY_EMBEDDED: "0" },
      logFd,
    });
    cleanups.push(() => killGroup(worker));

    const cpuBefore = cpuSnapshot();
    const load = sampleLoad();
    const backlogStart = nowMs();
    let left = await waiting(pool);
    while (left > 0 && nowMs() - backlogStart < settings.timeoutSeconds * 1000) {
      if (worker.exitCode() !== undefined) throw new Error(`the worker exited (code ${worker.exitCode()}); see ${relative(root, logPath)}`);
      await sleep(100);
      left = await waiting(pool);
    }
    const backlogSeconds = (nowMs() - backlogStart) / 1000;
    const backlogRate = round((backlogIds.length - left) / backlogSeconds);
    const backlogLoad = { cpu: cpuUsage(cpuBefore, cpuSnapshot(), { appPgid: worker.pgid }), loadavg1: load.stop() };
    log(`backlog: ${backlogIds.length - left}/${backlogIds.length} processed in ${round(backlogSeconds)} s (includes worker start-up) → ${backlogRate}/s; states ${JSON.stringify(await states(pool))}`);

    // Paced: store at a fixed rate while the worker runs; follow processed_at.
    const samples: TStored[] = [];
    const outstanding = new Map<string, TStored>();
    let polling = true;
    const pacedCpuBefore = cpuSnapshot();
    const pacedLoad = sampleLoad();
    const pacedStart = nowMs();
    const poller = (async () => {
      while (polling || outstanding.size) {
        if (outstanding.size) {
          const { rows } = await pool.query<{ id: string }>("SELECT id FROM delivery WHERE id = ANY($1::uuid[]) AND processed_at IS NOT NULL", [[...outstanding.keys()]]);
          const at = nowMs();
          for (const { id } of rows) {
            const sample = outstanding.get(id);
            if (sample) sample.seenAt = at;
            outstanding.delete(id);
          }
        }
        if (polling && nowMs() - pacedStart > (settings.seconds + settings.timeoutSeconds) * 1000) break;
        await sleep(25);
      }
    })();
    const total = settings.rate * settings.seconds;
    let queue: ReturnType<typeof nextStory> = [];
    const inflight: Promise<void>[] = [];
    for (let i = 0; i < total; i++) {
      const due = pacedStart + (i * 1000) / settings.rate;
      const wait = due - nowMs();
      if (wait > 0) await sleep(wait);
      if (!queue.length) queue = nextStory();
      const d = queue.shift()!;
      inflight.push(
        store(pool, d).then((id) => {
          if (!id) return;
          const sample = { id, storedAt: nowMs() };
          samples.push(sample);
          outstanding.set(id, sample);
        }),
      );
    }
    await Promise.all(inflight);
    const sendSeconds = (nowMs() - pacedStart) / 1000;
    polling = false;
    await poller;
    const pacedLoadResult = { cpu: cpuUsage(pacedCpuBefore, cpuSnapshot(), { appPgid: worker.pgid }), loadavg1: pacedLoad.stop() };
    const lags = samples.filter((s) => s.seenAt !== undefined).map((s) => s.seenAt! - s.storedAt);
    const lag: TSummary = summarize(lags);
    log(`paced: ${samples.length} stored at ${settings.rate}/s over ${round(sendSeconds)} s; lag p50 ${lag.p50} p95 ${lag.p95} max ${lag.max} ms (unseen ${samples.length - lags.length})`);

    const cpuText = (c: TCpuUsage | null) => (c ? `cores: worker ${c.appCores}, postgres (all databases) ${c.postgresCores}, this process ${c.benchCores}, other ${c.otherCores}` : "cpu n/a");
    const result = {
      benchmark: "worker",
      startedAt: started.toISOString(),
      machine: { cpus: cpus().length, loadavgAtEnd: loadavg().map((v) => round(v, 2)) },
      settings: { ...settings, serverUrl: dbUrl.host },
      appEnv: { CUSTODY_WORKER_CONCURRENCY: process.env.CUSTODY_WORKER_CONCURRENCY ?? "default" },
      backlog: { deliveries: backlogIds.length, processed: backlogIds.length - left, seconds: round(backlogSeconds), ratePerSecond: backlogRate, load: backlogLoad },
      paced: { stored: samples.length, unseen: samples.length - lags.length, lagMs: lag, load: pacedLoadResult },
    };
    const resultPath = join(resultsDir, `worker-${stamp}.json`);
    writeFileSync(resultPath, `${JSON.stringify(result, null, 2)}\n`);
    return [
      "",
      `backlog   : ${backlogRate}/s (${cpuText(backlogLoad.cpu)}; loadavg1 mean ${backlogLoad.loadavg1.mean})`,
      `paced     : ${settings.rate}/s → lag p50 ${lag.p50} / p95 ${lag.p95} / max ${lag.max} ms (${cpuText(pacedLoadResult.cpu)}; loadavg1 mean ${pacedLoadResult.loadavg1.mean})`,
      `results   : ${relative(root, resultPath)}`,
      `worker: backlog=${backlogRate}/s lag_p50=${Math.round(lag.p50)}ms lag_p95=${Math.round(lag.p95)}ms`,
    ];
  } finally {
    await cleanup();
  }
}

main().then(
  (summary) => {
    for (const line of summary) console.log(line);
    process.exit(0);
  },
  (error: unknown) => {
    console.error(`bench:worker failed: ${error instanceof Error ? error.stack : String(error)}`);
    process.exit(1);
  },
);
