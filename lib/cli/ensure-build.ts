import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";

const inputs = ["app", "components", "lib", "public", "next.config.ts", "proxy.ts", "instrumentation.ts", "tsconfig.json", "package-lock.json", "prisma/schema.prisma"];
const skip = new Set(["node_modules", ".next", ".data", "generated"]);

function collect(root: string, path: string, hash: ReturnType<typeof createHash>): void {
  if (!existsSync(path)) return;
  const info = statSync(path);
  if (info.isDirectory()) {
    for (const entry of readdirSync(path).sort()) {
      if (skip.has(entry) || entry.endsWith(".test.ts")) continue;
      collect(root, join(path, entry), hash);
    }
    return;
  }
  hash.update(relative(root, path)).update("\0").update(readFileSync(path)).update("\0");
}

/** A digest of everything `next build` reads; equal digests mean the existing build is current. */
export function sourceDigest(root: string): string {
  const hash = createHash("sha256");
  for (const input of inputs) collect(root, join(root, input), hash);
  return hash.digest("hex");
}

/** Builds the app when the sources changed since the last build; a second start does not rebuild. */
export function ensureBuild(root: string): void {
  const generate = spawnSync(process.execPath, [join(root, "scripts", "prisma-generate.mjs")], { cwd: root, stdio: "inherit" });
  if (generate.status !== 0) throw new Error("generating the Prisma client failed");
  const stampPath = join(root, ".next", "custody-build-digest");
  const digest = sourceDigest(root);
  if (existsSync(join(root, ".next", "BUILD_ID")) && existsSync(stampPath) && readFileSync(stampPath, "utf8") === digest) {
    return;
  }
  console.log("Building the dashboard (first start or changed sources; takes a minute)…");
  const build = spawnSync(process.execPath, [join(root, "node_modules", "next", "dist", "bin", "next"), "build"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (build.status !== 0) throw new Error("next build failed");
  writeFileSync(stampPath, digest);
}
