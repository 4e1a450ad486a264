#!/usr/bin/env node
// Entry point of `npx custody <command>`. Runs the TypeScript CLI under tsx with the react-server
// condition (server modules refuse to load without it) and passes signals through. Started by
// custody itself (CUSTODY_PARENT_PID), it also stops its child when that parent dies unannounced.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const child = spawn(
  process.execPath,
  ["--conditions=react-server", "--import", "tsx", join(root, "lib", "cli", "main.ts"), ...process.argv.slice(2)],
  { stdio: "inherit", cwd: process.cwd(), env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", CUSTODY_PARENT_PID: String(process.pid) } },
);
const parent = Number(process.env.CUSTODY_PARENT_PID) || 0;
if (parent) {
  const watch = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(watch);
    child.kill("SIGTERM");
  }, 1000);
  watch.unref();
}
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => {
    // The terminal already sent SIGINT to the whole group; forward only what the group did not get.
    if (signal !== "SIGINT") child.kill(signal);
  });
}
child.on("exit", (code, signal) => {
  if (signal) process.kill(process.pid, signal);
  else process.exit(code ?? 1);
});
