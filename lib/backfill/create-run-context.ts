import "server-only";
import type pg from "pg";
import { storeApiObject, type TApiObject } from "./store-api-object.ts";

/** Where each unit of work got to: the next page (number or URL) to read, or "done". */
export type TRunCursor = Record<string, string | number>;

export type TRunContext = {
  windowFrom: Date;
  windowTo: Date;
  cursor: TRunCursor;
  /** Counts one request sent to the vendor. */
  countRequest(): void;
  store(object: TApiObject): Promise<void>;
  /** Declares the units of work and where each starts (for the progress bar); units already in the cursor keep their place. */
  plan(units: TRunCursor): Promise<void>;
  /** Records where a unit got to and the counters, in one UPDATE: the resume point after a crash. */
  checkpoint(unit: string, next: string | number): Promise<void>;
  /** Ends the run `done` or `failed` (keeping the error for the next attempt), with the counters since the last checkpoint. */
  finish(state: "done" | "failed", error?: string): Promise<void>;
};

type TRunRow = { id: string; window_from: Date; window_to: Date; cursor: TRunCursor };

/** The state a backfill run carries between pages, flushed to its `backfill_run` row at each checkpoint. */
export function createRunContext(pool: pg.Pool, run: TRunRow): TRunContext {
  const counters = { requests: 0, fetched: 0, stored: 0, gaps: 0 };
  const flush = async (total: number | null = null, end: { state: "done" | "failed"; error: string | null } | null = null) => {
    await pool.query(
      `UPDATE backfill_run SET cursor = $2, requests = requests + $3, fetched = fetched + $4, stored = stored + $5, gaps_found = gaps_found + $6,
         total = COALESCE($7, total), state = COALESCE($8, state), error = $9,
         finished_at = CASE WHEN $8 = 'done' THEN now() ELSE finished_at END, updated_at = now() WHERE id = $1`,
      [run.id, JSON.stringify(ctx.cursor), counters.requests, counters.fetched, counters.stored, counters.gaps, total, end?.state ?? null, end?.error ?? null],
    );
    counters.requests = counters.fetched = counters.stored = counters.gaps = 0;
  };
  const ctx: TRunContext = {
    windowFrom: run.window_from,
    windowTo: run.window_to,
    cursor: { ...run.cursor },
    countRequest: () => {
      counters.requests += 1;
    },
    async store(object) {
      const outcome = await storeApiObject(pool, run.id, object);
      counters.fetched += 1;
      if (outcome.stored) counters.stored += 1;
      counters.gaps += outcome.gaps;
    },
    async plan(units) {
      for (const [unit, start] of Object.entries(units)) if (!(unit in ctx.cursor)) ctx.cursor[unit] = start;
      await flush(Object.keys(ctx.cursor).length);
    },
    async checkpoint(unit, next) {
      ctx.cursor[unit] = next;
      await flush();
    },
    async finish(state, error) {
      await flush(null, { state, error: error ?? null });
    },
  };
  return ctx;
}
