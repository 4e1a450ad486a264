"use client";

import Link from "next/link";
import { useEffect, useRef } from "react";

/** The skeleton shown while a provenance page's server data loads. */
export function PageLoading({ what }: { what: string }) {
  return (
    <div role="status" aria-live="polite" aria-busy="true" className="loading">
      <h1 className="skeleton-line" style={{ width: "40%" }}>
        <span className="visually-hidden">Loading {what}…</span>
      </h1>
      {[0, 1, 2].map((i) => (
        <section key={i} className="panel" aria-hidden="true">
          <div className="skeleton-line" style={{ width: "25%" }} />
          <div className="skeleton-line" />
          <div className="skeleton-line" style={{ width: "80%" }} />
        </section>
      ))}
    </div>
  );
}

/** What a provenance page shows when loading it failed: the reason, a retry, a way out. Focus moves here. */
export function PageError({ what, error, reset }: { what: string; error: Error & { digest?: string }; reset: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <section className="panel error" role="alert">
      <h1 ref={heading} tabIndex={-1}>
        Could not load this {what}
      </h1>
      <p>The database did not answer in time or the request failed. Nothing was changed.{error.digest ? ` (reference ${error.digest})` : ""}</p>
      <p>
        <button type="button" className="primary" onClick={reset}>
          Try again
        </button>{" "}
        <Link href="/timeline">Back to the timeline</Link>
      </p>
    </section>
  );
}
