"use client";

import { useAuditEntries } from "@/lib/client/use-audit-entries";

/** Custody's own audit trail, newest first, with "load more" and CSV/JSON export. */
export function AuditTrailPanel() {
  const entries = useAuditEntries();
  const items = entries.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section className="panel" aria-labelledby="audit">
      <h2 id="audit">Audit trail</h2>
      <p>
        Every sign-in, failed sign-in, export, token change, session change and replay. Export:{" "}
        <a href="/api/v1/audit/export?format=csv" download>
          CSV
        </a>{" "}
        ·{" "}
        <a href="/api/v1/audit/export?format=json" download>
          JSON
        </a>
      </p>
      {entries.isPending ? (
        <p className="empty">Loading…</p>
      ) : entries.error ? (
        <p className="error">{entries.error.message}</p>
      ) : (
        <>
          <table aria-label="Audit trail">
            <thead>
              <tr>
                <th scope="col">When (UTC)</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col">Target</th>
                <th scope="col">From</th>
              </tr>
            </thead>
            <tbody>
              {items.map((entry) => (
                <tr key={entry.id}>
                  <td>{entry.occurredAt.slice(0, 19).replace("T", " ")}</td>
                  <td>{entry.actorLabel}</td>
                  <td>
                    {entry.action}
                    {entry.outcome === "failure" ? <span className="badge bad">failed</span> : null}
                  </td>
                  <td>{entry.target ?? ""}</td>
                  <td>{entry.ip ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {entries.hasNextPage ? (
            <button type="button" className="primary" disabled={entries.isFetchingNextPage} onClick={() => void entries.fetchNextPage()}>
              Load more
            </button>
          ) : null}
        </>
      )}
    </section>
  );
}
