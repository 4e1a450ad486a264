"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";

/**
 * Listens to the live fact stream and re-renders the page's server data when new facts arrive,
 * so timelines, receipts and the overview update without a reload. Refreshes are coalesced.
 */
export function LiveRefresh({ label = "Live" }: { label?: string }) {
  const router = useRouter();
  const [state, setState] = useState<"connecting" | "live" | "offline" | "ended">("connecting");
  const [count, setCount] = useState(0);
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => {
    const source = new EventSource("/api/v1/stream");
    source.onopen = () => setState("live");
    source.onerror = () => setState((s) => (s === "ended" ? s : "offline"));
    // The server ends the stream when the session is revoked or the role is gone; reloading the page's
    // data then leads to the sign-in or no-access page.
    source.addEventListener("end", () => {
      source.close();
      setState("ended");
      router.refresh();
    });
    source.addEventListener("fact", () => {
      setCount((c) => c + 1);
      if (pending.current) return;
      pending.current = setTimeout(() => {
        pending.current = null;
        router.refresh();
      }, 400);
    });
    return () => {
      source.close();
      if (pending.current) clearTimeout(pending.current);
    };
  }, [router]);
  return (
    <p className="live" role="status" aria-live="polite" data-state={state}>
      <span className={`badge ${state === "live" ? "ok" : state === "offline" ? "bad" : "warn"}`}>
        {state === "live" ? label : state === "offline" ? "Reconnecting…" : state === "ended" ? "Live updates stopped" : "Connecting…"}
      </span>
      {count ? ` ${count} new fact${count === 1 ? "" : "s"} since you opened this page` : ""}
    </p>
  );
}
