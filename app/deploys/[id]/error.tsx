"use client";

import { PageError } from "@/components/provenance/page-states";

export default function DeployError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <PageError what="deploy" error={error} reset={reset} />;
}
