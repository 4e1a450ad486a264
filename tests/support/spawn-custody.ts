import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";

export const repoRoot = join(import.meta.dirname, "..", "..");

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

export function assertBuilt(): void {
  if (!existsSync(join(repoRoot, ".next", "BUILD_ID"))) {
    throw new Error("These tests serve the built app: run `npm run build` first (npm test does it for you).");
  }
}

export type TRunning = { child: ChildProcess; output: () => string; exited: Promise<number | null> };

/** Runs `custody <args>` as a user would, in its own process group, capturing its output. */
export function runCustody(args: string[], env: Record<string, string | undefined>): TRunning {
  let output = "";
  const child = spawn(process.execPath, [join(repoRoot, "bin", "custody.mjs"), ...args], {
    cwd: repoRoot,
    // NODE_ENV unset, as with `npm start` (an explicit NODE_ENV=production refuses demo mode).
    env: { ...process.env, DATABASE_URL: undefined, NODE_ENV: undefined, ...env } as Record<string, string | undefined> as NodeJS.ProcessEnv,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

export async function waitForHealth(port: number, timeoutMs = 60_000): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/api/health`);
      if (response.status === 200) return (await response.json()) as Record<string, unknown>;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`server on ${port} did not become healthy`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

export function interruptGroup(running: TRunning): void {
  if (running.child.pid) process.kill(-running.child.pid, "SIGINT");
}
