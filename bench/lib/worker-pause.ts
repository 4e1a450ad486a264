// Pausing the delivery worker of the app under test (SIGSTOP / SIGCONT), so one saturation run
// measures the receiving path alone — as when workers run on other machines — and another the
// whole app on one machine. Linux /proc only, like the CPU accounting in cpu.ts.
import { readdirSync, readFileSync } from "node:fs";

/** Pids in process group `pgid` running `custody worker` (the launcher and its TypeScript child). */
export function findWorkerPids(pgid: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // Fields after the parenthesised command: state ppid pgrp …
      const pgrp = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]);
      if (pgrp !== pgid) continue;
      const args = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
      if (args.includes("worker") && args.some((a) => a.endsWith("custody.mjs") || a.endsWith("main.ts"))) pids.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}

export function signalPids(pids: number[], signal: "SIGSTOP" | "SIGCONT"): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // gone
    }
  }
}
