// Order of lifecycle states: a snapshot with a later state wins a tie in time, and a terminal state
// is never replaced by a non-terminal one (a finished build never goes back to running).

const ranks: Record<string, number> = {
  created: 1,
  waiting_for_resource: 2,
  preparing: 2,
  pending: 2,
  scheduled: 2,
  waiting: 2,
  assigned: 3,
  accepted: 3,
  blocked: 3,
  manual: 3,
  running: 4,
  failing: 5,
  canceling: 5,
  timing_out: 5,
  unblocked: 6,
  success: 9,
  passed: 9,
  failed: 9,
  canceled: 9,
  skipped: 9,
  not_run: 9,
  timed_out: 9,
  expired: 9,
  broken: 9,
  merged: 9,
  opened: 1,
  reopened: 1,
  closed: 5,
  locked: 4,
};

export function stateRank(state: string | null | undefined): number {
  return state ? (ranks[state] ?? 0) : 0;
}

export function isTerminal(state: unknown): boolean {
  return typeof state === "string" && (ranks[state] ?? 0) >= 9;
}
