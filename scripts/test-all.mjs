// `npm test`: every tier in order: static checks, unit + integration on real Postgres, end-to-end in
// Chromium. Missing prerequisites are named with what to install instead of passing silently.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => join(root, "node_modules", ".bin", name);
const serverUrl = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const results = { passed: 0, failed: 0, skipped: 0 };
const started = Date.now();

function step(title, command, args, env = {}) {
  const t0 = Date.now();
  console.log(`\n━━ ${title}`);
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...env } });
  console.log(`━━ ${title}: ${result.status === 0 ? "ok" : "FAILED"} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return result.status === 0;
}

async function checkPostgres() {
  const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch (error) {
    console.error(
      `\nPostgreSQL is not reachable at ${serverUrl}: ${error.message}\n` +
        "Integration and end-to-end tests run against a real server. Install and start PostgreSQL " +
        "(Debian/Ubuntu: apt-get install -y postgresql && pg_ctlcluster 15 main start) or set TEST_DATABASE_URL.",
    );
    return false;
  }
}

const problems = [];
if (!(await checkPostgres())) problems.push("postgres");
if (!existsSync(chromium)) {
  console.error(`\nChromium is not installed at ${chromium}. Install it (Debian/Ubuntu: apt-get install -y chromium) or set CHROMIUM_PATH.`);
  problems.push("chromium");
}
if (problems.length) {
  console.error(`\nCannot run the test suite: missing ${problems.join(" and ")}.`);
  console.log("0 passed, 1 failed");
  process.exit(1);
}

let ok = true;
const out = mkdtempSync(join(tmpdir(), "custody-test-"));
ok = step("prisma client", process.execPath, [join(root, "scripts", "prisma-generate.mjs")]) && ok;
ok = step("lint", bin("eslint"), ["."]) && ok;
ok = step("typecheck", bin("tsc"), ["--noEmit", "--incremental", "false"]) && ok;
ok = step("migrations match schema.prisma (drift)", process.execPath, ["--conditions=react-server", "--import", "tsx", join(root, "scripts", "db-drift.ts")]) && ok;
ok = step("build", bin("next"), ["build"]) && ok;

const vitestJson = join(out, "vitest.json");
ok = step("unit + integration (vitest, real Postgres)", bin("vitest"), ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${vitestJson}`], { TEST_DATABASE_URL: serverUrl }) && ok;
if (existsSync(vitestJson)) {
  const report = JSON.parse(readFileSync(vitestJson, "utf8"));
  results.passed += report.numPassedTests ?? 0;
  results.failed += report.numFailedTests ?? 0;
  results.skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
} else results.failed += 1;

const playwrightJson = join(out, "playwright.json");
ok = step("end-to-end (Playwright, Chromium)", bin("playwright"), ["test"], { PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightJson, CHROMIUM_PATH: chromium }) && ok;
if (existsSync(playwrightJson)) {
  const stats = JSON.parse(readFileSync(playwrightJson, "utf8")).stats ?? {};
  results.passed += (stats.expected ?? 0) + (stats.flaky ?? 0);
  results.failed += stats.unexpected ?? 0;
  results.skipped += stats.skipped ?? 0;
} else results.failed += 1;

if (!ok && results.failed === 0) results.failed = 1;
console.log(`\nTotal time ${((Date.now() - started) / 1000).toFixed(0)} s`);
console.log(`${results.passed} passed, ${results.failed} failed, ${results.skipped} skipped`);
process.exit(ok ? 0 : 1);
