import { getEnv } from "@/lib/env";

const POLL_MS = 1_000;

/**
 * For a process Custody started itself (`CUSTODY_PARENT_PID` names the starter): calls `onGone`
 * once when that parent is no longer this process's parent, i.e. it died without stopping us
 * (SIGKILL, crash). Without it a killed `custody start` would leave its server and worker running,
 * holding the port and the embedded database. Does nothing for a process an operator started.
 */
export function exitWithParent(onGone: () => void): void {
  const parent = getEnv().CUSTODY_PARENT_PID;
  if (!parent) return;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    onGone();
  }, POLL_MS);
  timer.unref();
}
