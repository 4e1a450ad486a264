"use client";

import { PageError } from "@/components/provenance/page-states";

export default function DeliveryError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <PageError what="delivery" error={error} reset={reset} />;
}
