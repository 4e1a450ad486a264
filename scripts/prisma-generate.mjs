// Generates the Prisma client offline. `prisma generate` only needs the schema engine for
// validation it does not perform here, so any existing file satisfies its download check.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const schema = join(root, "prisma", "schema.prisma");
const stamp = join(root, "lib", "db", "generated", ".schema-sha256");
const cli = join(root, "node_modules", "prisma", "build", "index.js");

const digest = createHash("sha256").update(readFileSync(schema)).digest("hex");
const force = process.argv.includes("--force");
if (!force && existsSync(stamp) && readFileSync(stamp, "utf8") === digest) process.exit(0);
if (!existsSync(cli)) {
  console.error("prisma is not installed; run `npm install` first");
  process.exit(1);
}
const result = spawnSync(process.execPath, [cli, "generate"], {
  cwd: root,
  stdio: ["ignore", "inherit", "inherit"],
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
    CHECKPOINT_DISABLE: "1",
  },
});
if (result.status !== 0) process.exit(result.status ?? 1);
writeFileSync(stamp, digest);
