"use client";

import { useState } from "react";
import type { TBackfillRun } from "@/lib/contracts/backfills";
import { useBackfills } from "@/lib/client/use-backfills";
import { useHydrated } from "@/lib/client/use-hydrated";

function RunRow({ run }: { run: TBackfillRun }) {
  const total = run.unitsTotal ?? 0;
  const value = run.state === "done" ? total : run.unitsDone;
  return (
    <tr>
      <td>{run.source}</td>
      <td>{run.kind === "reconcile" ? "scheduled" : `by ${run.startedBy}`}</td>
      <td className="mono">
        {run.windowFrom.slice(0, 16).replace("T", " ")} → {run.windowTo.slice(0, 16).replace("T", " ")}
      </td>
      <td>
        <progress max={Math.max(total, 1)} value={value} aria-label={`Progress of the ${run.source} run`} /> {run.state}
        {run.error ? <span className="error"> {run.error}</span> : null}
      </td>
      <td>
        {run.requests} requests · {run.fetched} read · {run.stored} new · {run.gapsFound} gaps filled
      </td>
    </tr>
  );
}

/** Backfill: read a source's API for a window (admin), and the latest backfill and scheduled reconciliation runs with live progress. */
export function BackfillPanel() {
  const hydrated = useHydrated();
  const { runs, start } = useBackfills();
  const [source, setSource] = useState<"gitlab" | "buildkite">("gitlab");
  const [since, setSince] = useState("");
  const unavailable = runs.data?.unavailable ?? {};
  return (
    <section className="panel" aria-labelledby="backfill">
      <h2 id="backfill">Backfill and reconciliation</h2>
      <p className="empty">
        Webhooks can be dropped. Custody reads the GitLab and Buildkite APIs on a schedule and fills what is missing; here an admin can read a longer window.
        Each gap filled is listed in the completeness report. Also <code>npx custody backfill --source gitlab --since 2026-01-01</code>.
      </p>
      {Object.entries(unavailable).map(([name, detail]) => (
        <p key={name} className="empty">
          <span className="badge warn">{name}</span> {detail}
        </p>
      ))}
      <form
        className="form-row"
        aria-label="Start a backfill"
        onSubmit={(event) => {
          event.preventDefault();
          start.mutate({ source, since });
        }}
      >
        <select value={source} onChange={(e) => setSource(e.target.value as "gitlab" | "buildkite")} aria-label="Source">
          <option value="gitlab">GitLab</option>
          <option value="buildkite">Buildkite</option>
        </select>
        <input type="date" value={since} onChange={(e) => setSince(e.target.value)} aria-label="Since" required />
        <button type="submit" disabled={start.isPending || !hydrated || !since || source in unavailable}>
          Start backfill
        </button>
      </form>
      {start.error ? (
        <p role="alert" className="error">
          {start.error.message}
        </p>
      ) : null}
      {runs.isPending ? (
        <p className="empty">Loading…</p>
      ) : runs.error ? (
        <p className="error">{runs.error.message}</p>
      ) : runs.data.items.length === 0 ? (
        <p className="empty">No backfill or reconciliation has run yet.</p>
      ) : (
        <table aria-label="Backfill runs">
          <thead>
            <tr>
              <th scope="col">Source</th>
              <th scope="col">Started</th>
              <th scope="col">Window (UTC)</th>
              <th scope="col">Progress</th>
              <th scope="col">Counts</th>
            </tr>
          </thead>
          <tbody>
            {runs.data.items.map((run) => (
              <RunRow key={run.id} run={run} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
