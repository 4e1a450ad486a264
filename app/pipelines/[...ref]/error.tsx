"use client";

import { PageError } from "@/components/provenance/page-states";

export default function PipelineError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <PageError what="pipeline" error={error} reset={reset} />;
}
