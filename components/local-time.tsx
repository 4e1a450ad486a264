"use client";

import { useSyncExternalStore } from "react";

const subscribe = () => () => {};

/** A time in the viewer's zone, with the UTC value on hover; renders UTC on the server. */
export function LocalTime({ iso }: { iso: string }) {
  const local = useSyncExternalStore(
    subscribe,
    () => new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "medium" }),
    () => `${iso.replace("T", " ").slice(0, 19)} UTC`,
  );
  return (
    <time dateTime={iso} title={`${iso} (UTC)`}>
      {local}
    </time>
  );
}
