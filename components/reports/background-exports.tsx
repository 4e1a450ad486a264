"use client";
import { useExports } from "@/lib/client/use-exports";
import type { TExportJob } from "@/lib/contracts/exports";

const size = (bytes: number | null) => (bytes === null ? "" : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 1024 / 1024).toFixed(1)} MiB`);

function ExportProgress({ job }: { job: TExportJob }) {
  const { done, total } = job.progress;
  if (job.state === "done") return <span>{size(job.resultSize)}</span>;
  if (job.state === "failed") return <span className="error">{job.error}</span>;
  return (
    <span>
      <progress value={total ? done : undefined} max={total ?? undefined} aria-label={`Progress of export ${job.kind}`} />{" "}
      {job.state === "queued" ? "queued" : `${done.toLocaleString()}${total !== null ? ` of ${total.toLocaleString()}` : ""} ${job.kind === "evidence-pack" ? "deliveries" : "rows"}`}
    </span>
  );
}

/** "Export in background" per report and format, and the caller's recent exports with live progress and a download when done. */
export function BackgroundExports({ reports, params, disabled }: { reports: readonly { name: string; title: string }[]; params: Record<string, string>; disabled: boolean }) {
  const { jobs, start } = useExports();
  return (
    <section className="panel" aria-labelledby="background-exports">
      <h2 id="background-exports">Export in background</h2>
      <p className="muted">For long periods: the export runs on the server, and the file stays available here for download until it expires.</p>
      {reports.map((report) => (
        <p key={report.name}>
          {report.title}:{" "}
          {(["csv", "json", "pdf"] as const).map((format, i) => (
            <span key={format}>
              {i ? " · " : ""}
              <button type="button" disabled={disabled || start.isPending} onClick={() => start.mutate({ kind: `${report.name}.${format}`, params })}>
                {format.toUpperCase()}
              </button>
            </span>
          ))}
        </p>
      ))}
      <p>
        Evidence pack:{" "}
        <button type="button" disabled={disabled || start.isPending} onClick={() => start.mutate({ kind: "evidence-pack", params })}>
          ZIP
        </button>
      </p>
      {start.error ? <p className="error" role="alert">{start.error.message}</p> : null}
      <h3>Recent exports</h3>
      {jobs.data?.items.length ? (
        <table>
          <thead>
            <tr>
              <th>Export</th>
              <th>Period</th>
              <th>Requested</th>
              <th>State</th>
              <th>Progress</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {jobs.data.items.map((job) => (
              <tr key={job.id} data-export-id={job.id}>
                <td>{job.kind}</td>
                <td>
                  {String(job.params.from ?? "").slice(0, 10)} – {String(job.params.to ?? "").slice(0, 10)}
                  {job.params.environment ? ` (${String(job.params.environment)})` : ""}
                </td>
                <td>
                  {job.requestedBy}, {new Date(job.createdAt).toLocaleString()}
                </td>
                <td>{job.state}</td>
                <td>
                  <ExportProgress job={job} />
                </td>
                <td>{job.downloadUrl ? <a href={job.downloadUrl} download>Download</a> : null}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">{jobs.isLoading ? "Loading…" : jobs.error ? jobs.error.message : "No exports yet."}</p>
      )}
    </section>
  );
}
