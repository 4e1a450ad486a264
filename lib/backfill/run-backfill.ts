import "server-only";
import type pg from "pg";
import { logEvent } from "@/lib/shared/log-event";
import { backfillBuildkite } from "./backfill-buildkite.ts";
import { backfillGitlab } from "./backfill-gitlab.ts";
import { createGitlabApi } from "./create-gitlab-api.ts";
import { createRunContext, type TRunCursor } from "./create-run-context.ts";
import { getBackfillConfig, type TBackfillSource } from "./get-backfill-config.ts";

export type TRunBackfillOutcome = { state: "done" | "failed" | "busy" | "missing"; error?: string };

type TRunRow = { id: string; source: TBackfillSource; state: string; window_from: Date; window_to: Date; cursor: TRunCursor };

/**
 * Runs (or resumes) one backfill run to its end. A session advisory lock on the run id makes a second
 * runner of the same run answer `busy` (the lock goes with the connection, so a crashed runner frees
 * it). The run's cursor says where each unit of work got to; a run that failed or was interrupted
 * continues from there. Ends `done`, or `failed` with the error kept on the row for the next attempt.
 */
export async function runBackfill(pool: pg.Pool, runId: string): Promise<TRunBackfillOutcome> {
  const lock = await pool.connect();
  try {
    const { rows: locked } = await lock.query<{ ok: boolean }>("SELECT pg_try_advisory_lock(hashtextextended($1, 7)) AS ok", [runId]);
    if (!locked[0]?.ok) return { state: "busy" };
    try {
      const { rows } = await pool.query<TRunRow>(
        `UPDATE backfill_run SET state = 'running', started_at = COALESCE(started_at, now()), error = NULL, updated_at = now()
         WHERE id = $1 AND state <> 'done' RETURNING id, source, state, window_from, window_to, cursor`,
        [runId],
      );
      const run = rows[0];
      if (!run) return { state: "missing" };
      const ctx = createRunContext(pool, run);
      try {
        const config = getBackfillConfig(run.source);
        if (!config.ok) throw new Error(config.detail);
        if (config.source === "gitlab") {
          await backfillGitlab(createGitlabApi(config, { onRequest: ctx.countRequest }), ctx, config.scopes, config.url);
        } else {
          await backfillBuildkite(config, ctx, config.pipelines);
        }
        await ctx.finish("done");
        logEvent("info", "backfill.done", { runId, source: run.source });
        return { state: "done" };
      } catch (error) {
        const message = (error as Error).message.slice(0, 500);
        await ctx.finish("failed", message);
        logEvent("warn", "backfill.failed", { runId, source: run.source, error: message });
        return { state: "failed", error: message };
      }
    } finally {
      await lock.query("SELECT pg_advisory_unlock(hashtextextended($1, 7))", [runId]).catch(() => {});
    }
  } finally {
    lock.release();
  }
}
