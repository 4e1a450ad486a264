// Child-process plumbing for the benchmark: servers run detached in their own process group so the
// whole tree (CLI wrapper → tsx → next start) can be stopped with one signal, even after Ctrl-C.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { sleep } from "./stats.ts";

export type TGroupChild = { name: string; child: ChildProcess; pgid: number; exited: Promise<number | null>; exitCode: () => number | null | undefined };

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no free port"))));
    });
  });
}

/** Spawns a detached child (own process group) whose stdout and stderr go to an already opened file. */
export function spawnGroup(name: string, command: string, args: string[], options: { cwd: string; env: Record<string, string | undefined>; logFd: number }): TGroupChild {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env as NodeJS.ProcessEnv, detached: true, stdio: ["ignore", options.logFd, options.logFd] });
  if (!child.pid) throw new Error(`could not start ${name}`);
  let code: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => {
    child.once("exit", (exitCode, signal) => {
      code = exitCode ?? (signal ? -1 : null);
      resolve(code);
    });
  });
  return { name, child, pgid: child.pid, exited, exitCode: () => code };
}

function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false; // ESRCH: the group is gone
  }
}

/** SIGTERM to the group, then SIGKILL to whatever is left after `graceMs`. */
export async function killGroup(group: TGroupChild, graceMs = 8_000): Promise<void> {
  if (!signalGroup(group.pgid, "SIGTERM")) return;
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!signalGroup(group.pgid, 0)) return;
    await sleep(100);
  }
  signalGroup(group.pgid, "SIGKILL");
  await sleep(200);
}

/** Polls a URL until it answers 200; fails early when the server process exits. */
export async function waitForHttp(url: string, group: TGroupChild, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (group.exitCode() !== undefined) throw new Error(`${group.name} exited (code ${group.exitCode()}) before ${url} answered`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      await response.arrayBuffer();
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${group.name}: ${url} did not answer 200 within ${timeoutMs / 1000} s`);
    await sleep(300);
  }
}
