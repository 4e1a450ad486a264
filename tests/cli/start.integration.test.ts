import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { assertBuilt, freePort, interruptGroup, runCustody, waitForHealth } from "../support/spawn-custody.ts";

/** Signs in as the demo-mode local admin over HTTP, as the sign-in button does; returns the Cookie header. */
async function demoSignIn(port: number): Promise<string> {
  const base = `http://127.0.0.1:${port}`;
  const csrf = await fetch(`${base}/api/auth/csrf`);
  const csrfCookie = csrf.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const callback = await fetch(`${base}/api/auth/callback/demo`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: csrfCookie },
    body: new URLSearchParams({ csrfToken, callbackUrl: `${base}/timeline`, json: "true" }),
    redirect: "manual",
  });
  const session = callback.headers.getSetCookie().find((c) => c.startsWith("custody.session-token="));
  if (!session) throw new Error(`demo sign-in did not set a session cookie (${callback.status})`);
  return session.split(";")[0]!;
}

/** Every process whose parent chain reaches `root` (Linux /proc), with its command name. */
function descendants(root: number): Map<number, string> {
  const parents = new Map<number, { ppid: number; name: string }>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ")".
      const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      parents.set(Number(entry), { ppid, name });
    } catch {
      // exited while listing
    }
  }
  const found = new Map<number, string>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, { ppid, name }] of parents) {
      if (!found.has(pid) && (ppid === root || found.has(ppid))) {
        found.set(pid, name);
        grew = true;
      }
    }
  }
  return found;
}

const alive = (pid: number) => existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, "utf8").includes(") Z ");

describe("custody start", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "custody-data-"));
  beforeAll(() => assertBuilt());
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("with no DATABASE_URL serves on an embedded database, owns its folder, stops cleanly and keeps data", async () => {
    const port = await freePort();
    const first = runCustody(["start", "--no-build"], { CUSTODY_DATA_DIR: dataDir, PORT: String(port) });
    const health = await waitForHealth(port, 90_000);
    expect(health).toMatchObject({ status: "ok", database: "embedded" });
    expect(String(health.migrations)).toMatch(/^\d{14}_/);
    expect(existsSync(join(dataDir, "custody.lock"))).toBe(true);

    // Zero configuration is demo mode: pages ask for a sign-in, which is one click as the local admin.
    const anonymous = await fetch(`http://127.0.0.1:${port}/timeline`, { redirect: "manual" });
    expect(anonymous.status).toBe(307);
    expect(anonymous.headers.get("location")).toContain("/sign-in?callbackUrl=%2Ftimeline");
    const signInPage = await (await fetch(`http://127.0.0.1:${port}/sign-in`)).text();
    expect(signInPage).toContain("SSO is not configured — demo mode.");
    expect(signInPage).toContain("Sign in as local admin (demo)");
    const cookie = await demoSignIn(port);
    const shell = await fetch(`http://127.0.0.1:${port}/timeline`, { headers: { cookie } });
    expect(shell.status).toBe(200);
    const html = await shell.text();
    for (const label of ["Overview", "Timeline", "Deploys", "Approvals", "Reports", "Ingest", "Settings"]) {
      expect(html).toContain(`>${label}<`);
    }

    const second = runCustody(["migrate"], { CUSTODY_DATA_DIR: dataDir });
    expect(await second.exited).not.toBe(0);
    expect(second.output()).toMatch(/already open in process \d+/);

    interruptGroup(first);
    expect(await first.exited).toBe(0);
    expect(existsSync(join(dataDir, "custody.lock"))).toBe(false);

    const again = runCustody(["migrate"], { CUSTODY_DATA_DIR: dataDir });
    expect(await again.exited).toBe(0);
    expect(again.output()).toMatch(/No pending migrations/);
  }, 180_000);

  it("with DATABASE_URL serves on that Postgres", async () => {
    const port = await freePort();
    const running = runCustody(["start", "--no-build"], { DATABASE_URL: inject("databaseUrl"), PORT: String(port), CUSTODY_WORKER: "off" });
    const health = await waitForHealth(port);
    expect(health).toMatchObject({ status: "ok", database: "postgres" });
    interruptGroup(running);
    expect(await running.exited).toBe(0);
  }, 120_000);

  it("exits non-zero with a visible message when the database stays unreachable", async () => {
    const running = runCustody(["start", "--no-build"], {
      DATABASE_URL: "postgresql://postgres@127.0.0.1:1/none",
      CUSTODY_DB_CONNECT_RETRIES: "1",
    });
    expect(await running.exited).toBe(1);
    expect(running.output()).toMatch(/Waiting for database 127\.0\.0\.1:1\/none \(attempt 1\/2\)/);
    expect(running.output()).toMatch(/unreachable after 2 attempts/);
  }, 60_000);

  it.each([
    ["listening beyond loopback", { HOST: "0.0.0.0" }, /HOST=0\.0\.0\.0 is not a loopback address/],
    ["with NODE_ENV=production", { NODE_ENV: "production" }, /NODE_ENV=production/],
  ])("refuses demo mode %s, naming the override", async (_case, env, reason) => {
    const running = runCustody(["start", "--no-build"], { DATABASE_URL: inject("databaseUrl"), ...env });
    expect(await running.exited).toBe(2);
    expect(running.output()).toMatch(/Refusing to start: GitLab sign-in is not configured/);
    expect(running.output()).toMatch(reason);
    expect(running.output()).toContain("CUSTODY_ALLOW_INSECURE_DEMO=i-understand-anyone-can-sign-in-as-admin");
  }, 30_000);

  it("runs demo mode with NODE_ENV=production only with the override, and says so loudly", async () => {
    const port = await freePort();
    const running = runCustody(["start", "--no-build"], {
      DATABASE_URL: inject("databaseUrl"),
      PORT: String(port),
      CUSTODY_WORKER: "off",
      NODE_ENV: "production",
      CUSTODY_ALLOW_INSECURE_DEMO: "i-understand-anyone-can-sign-in-as-admin",
    });
    await waitForHealth(port);
    expect(running.output()).toContain("ANYONE WHO CAN REACH THIS SERVER CAN SIGN IN AS ADMIN");
    interruptGroup(running);
    expect(await running.exited).toBe(0);
  }, 120_000);

  it("stops its server and worker when it is killed without a chance to stop them", async () => {
    const port = await freePort();
    const running = runCustody(["start", "--no-build"], { DATABASE_URL: inject("databaseUrl"), PORT: String(port), CUSTODY_WORKER: "on" });
    await waitForHealth(port);
    // Launcher -> CLI -> Next.js server, and the CLI's supervised worker (a launcher and its CLI).
    const tree = descendants(running.child.pid!);
    expect([...tree.values()].some((name) => name.startsWith("next-server"))).toBe(true);
    expect(tree.size).toBeGreaterThanOrEqual(4);
    process.kill(running.child.pid!, "SIGKILL");
    await running.exited;
    try {
      const deadline = Date.now() + 20_000;
      while ([...tree.keys()].some(alive) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
      expect([...tree].filter(([pid]) => alive(pid))).toEqual([]);
      await expect(fetch(`http://127.0.0.1:${port}/api/health`)).rejects.toThrow();
    } finally {
      for (const pid of tree.keys()) if (alive(pid)) process.kill(pid, "SIGKILL");
    }
  }, 120_000);

  it("refuses bad configuration at startup, naming the variable", async () => {
    const running = runCustody(["start", "--no-build"], { PORT: "eighty" });
    expect(await running.exited).toBe(2);
    expect(running.output()).toMatch(/PORT: .*"eighty"/);
  }, 30_000);
});
