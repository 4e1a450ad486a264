import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";

const RESTART_DELAY_MS = 2_000;

export type TSupervisedWorker = { stop: () => Promise<void> };

/**
 * Runs `custody worker` as a child process, so processing never shares an event loop with the
 * receiving listener, and restarts it (after a short delay, saying so) if it exits while Custody is
 * running; deliveries meanwhile wait in the database.
 */
export function superviseWorker(root: string, env: NodeJS.ProcessEnv): TSupervisedWorker {
  let child: ChildProcess | undefined;
  let stopping = false;
  let restartTimer: NodeJS.Timeout | undefined;
  const launch = () => {
    child = spawn(process.execPath, [join(root, "bin", "custody.mjs"), "worker"], { cwd: root, stdio: "inherit", env });
    child.on("exit", (code, signal) => {
      // Ctrl-C reaches the whole process group, so the worker may exit just before `stop` is called.
      restartTimer = setTimeout(() => {
        if (stopping) return;
        console.error(`The delivery worker exited (${signal ?? `code ${code}`}); restarting it.`);
        launch();
      }, RESTART_DELAY_MS);
    });
  };
  launch();
  return {
    stop: async () => {
      stopping = true;
      clearTimeout(restartTimer);
      if (child && child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child?.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
      }
    },
  };
}
