// Starts the built app for end-to-end tests on a fresh real-Postgres database, dropped on exit.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import pg from "pg";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const serverUrl = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const name = `custody_e2e_${process.pid}_${randomBytes(3).toString("hex")}`;
const databaseUrl = new URL(serverUrl);
databaseUrl.pathname = `/${name}`;

async function admin(sql) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

await admin(`CREATE DATABASE "${name}"`);
const child = spawn(process.execPath, [join(root, "bin", "custody.mjs"), "start", "--no-build"], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, DATABASE_URL: databaseUrl.toString(), NODE_ENV: "production", ...JSON.parse(process.env.E2E_EXTRA_ENV ?? "{}") },
});
let cleaning = false;
async function cleanup(code) {
  if (cleaning) return;
  cleaning = true;
  if (child.exitCode === null) {
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
  }
  await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => {});
  process.exit(code);
}
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => void cleanup(0));
child.on("exit", (code) => void cleanup(code ?? 1));
