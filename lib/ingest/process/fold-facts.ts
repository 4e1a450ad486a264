import { isTerminal } from "../normalize/state-rank.ts";

export type TStoredFact = { at: Date | string; rank: number; tiebreak: string; data: Record<string, unknown> };

function time(value: Date | string): number {
  return value instanceof Date ? value.getTime() : Date.parse(value);
}

/**
 * Folds all facts about one entity into its current fields. Facts are ordered by (time, state rank,
 * tiebreak), so the result depends only on the set of facts — not on delivery order or duplicates.
 * A later fact sets only the fields it knows (never erases), and a terminal state or status is
 * never replaced by a non-terminal one.
 */
export function foldFacts(facts: TStoredFact[]): Record<string, unknown> {
  const ordered = [...facts].sort(
    (a, b) => time(a.at) - time(b.at) || a.rank - b.rank || (a.tiebreak < b.tiebreak ? -1 : a.tiebreak > b.tiebreak ? 1 : 0),
  );
  const result: Record<string, unknown> = {};
  for (const fact of ordered) {
    for (const [field, value] of Object.entries(fact.data)) {
      if (value === null || value === undefined) continue;
      if ((field === "state" || field === "status") && isTerminal(result[field]) && !isTerminal(value)) continue;
      result[field] = value;
    }
  }
  return result;
}
