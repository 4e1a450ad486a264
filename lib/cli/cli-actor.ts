import { userInfo } from "node:os";
import type { TAuditActor } from "@/lib/audit/audit-actor";

/** The audit actor of a command: type "cli", labelled with the operating-system user who ran it. */
export function cliActor(): TAuditActor {
  let who = "unknown";
  try {
    who = userInfo().username;
  } catch {
    // no passwd entry (some containers)
  }
  return { type: "cli", id: null, label: `cli:${who}` };
}
