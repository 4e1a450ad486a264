// Where the CPU went during a phase, from /proc (Linux only; elsewhere the figures are null):
// the whole machine, the app's process group, the baseline's group, this process (the load
// generator) and the Postgres processes. Values are in cores (1.0 = one core fully busy).
import { readdirSync, readFileSync } from "node:fs";
import { loadavg } from "node:os";

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

type TProc = { pid: number; comm: string; pgrp: number; ticks: number };
export type TCpuSnapshot = { at: number; machineBusy: number; machineTotal: number; procs: Map<number, TProc> } | null;
export type TCpuGroups = {
  appPgid?: number;
  baselinePgid?: number;
  benchPids?: number[];
  /** Postgres processes to attribute to the benchmark (its database's backends and the shared background processes); otherwise every "postgres" process. */
  postgresPids?: Set<number>;
};
export type TCpuUsage = {
  seconds: number;
  machineBusyCores: number;
  appCores: number;
  baselineCores: number;
  benchCores: number;
  postgresCores: number;
  otherCores: number;
  loadavg1: number;
};

function readMachine(): { busy: number; total: number } {
  const line = readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "";
  const fields = line.trim().split(/\s+/).slice(1).map(Number);
  const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  return { busy: total - idle, total };
}

function readProcs(): Map<number, TProc> {
  const procs = new Map<number, TProc>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const open = stat.indexOf("(");
      const close = stat.lastIndexOf(")");
      const rest = stat.slice(close + 2).split(" ");
      procs.set(Number(entry), {
        pid: Number(entry),
        comm: stat.slice(open + 1, close),
        pgrp: Number(rest[2]),
        ticks: Number(rest[11]) + Number(rest[12]),
      });
    } catch {
      // the process exited while we read
    }
  }
  return procs;
}

export function cpuSnapshot(): TCpuSnapshot {
  try {
    const machine = readMachine();
    return { at: Date.now(), machineBusy: machine.busy, machineTotal: machine.total, procs: readProcs() };
  } catch {
    return null;
  }
}

export function cpuUsage(before: TCpuSnapshot, after: TCpuSnapshot, groups: TCpuGroups): TCpuUsage | null {
  if (!before || !after) return null;
  const seconds = (after.at - before.at) / 1000;
  if (seconds <= 0) return null;
  const cores = (ticks: number) => Math.round((ticks / TICKS_PER_SECOND / seconds) * 100) / 100;
  const benchPids = new Set(groups.benchPids ?? [process.pid]);
  // Machine ticks are summed over all CPUs, in the same USER_HZ units.
  const machineBusy = after.machineBusy - before.machineBusy;
  let app = 0;
  let baseline = 0;
  let bench = 0;
  let postgres = 0;
  for (const proc of after.procs.values()) {
    const delta = proc.ticks - (before.procs.get(proc.pid)?.ticks ?? 0);
    if (delta <= 0) continue;
    if (groups.appPgid && proc.pgrp === groups.appPgid) app += delta;
    else if (groups.baselinePgid && proc.pgrp === groups.baselinePgid) baseline += delta;
    else if (benchPids.has(proc.pid)) bench += delta;
    else if (groups.postgresPids ? groups.postgresPids.has(proc.pid) : proc.comm === "postgres" || proc.comm.startsWith("postgres:")) postgres += delta;
  }
  return {
    seconds: Math.round(seconds * 10) / 10,
    machineBusyCores: cores(machineBusy),
    appCores: cores(app),
    baselineCores: cores(baseline),
    benchCores: cores(bench),
    postgresCores: cores(postgres),
    // Everything else the machine did, including processes that started and ended inside the phase.
    otherCores: cores(Math.max(0, machineBusy - app - baseline - bench - postgres)),
    loadavg1: Math.round((loadavg()[0] ?? 0) * 100) / 100,
  };
}

/** Samples the 1-minute load average every `everyMs` until stopped. */
export function sampleLoad(everyMs = 2_000): { stop: () => { samples: number[]; max: number; mean: number } } {
  const samples: number[] = [loadavg()[0] ?? 0];
  const timer = setInterval(() => samples.push(loadavg()[0] ?? 0), everyMs);
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
      samples.push(loadavg()[0] ?? 0);
      const max = Math.max(...samples);
      const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
      return { samples: samples.map((s) => Math.round(s * 100) / 100), max: Math.round(max * 100) / 100, mean: Math.round(mean * 100) / 100 };
    },
  };
}
