"use client";

import { PageError } from "@/components/provenance/page-states";

export default function BuildError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <PageError what="build" error={error} reset={reset} />;
}
