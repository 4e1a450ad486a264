import type { Metadata } from "next";
import { NotBuiltYet } from "@/components/not-built-yet";
import { PageHeader } from "@/components/page-header";

export const metadata: Metadata = { title: "Ingest" };

export default function Page() {
  return (
    <>
      <PageHeader title="Ingest" lede="Webhook deliveries per source, rejected attempts and failed deliveries." />
      <NotBuiltYet>The ingest view is not built yet.</NotBuiltYet>
    </>
  );
}
