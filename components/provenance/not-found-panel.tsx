import Link from "next/link";

/** A provenance page for an identifier Custody has not seen (yet): say why, and where to look instead. */
export function NotFoundPanel({ what, hint }: { what: string; hint: string }) {
  return (
    <section className="panel" aria-labelledby="not-found">
      <h1 id="not-found">No such {what}</h1>
      <p className="empty">{hint}</p>
      <p>
        <Link href="/timeline">Search the timeline</Link> · <Link href="/ingest">Check ingest health</Link>
      </p>
    </section>
  );
}
