"use client";

import { PageError } from "@/components/provenance/page-states";

export default function MergeRequestError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <PageError what="merge request" error={error} reset={reset} />;
}
