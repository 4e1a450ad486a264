import type { Metadata } from "next";
import { NotBuiltYet } from "@/components/not-built-yet";
import { PageHeader } from "@/components/page-header";

export const metadata: Metadata = { title: "Timeline" };

export default function Page() {
  return (
    <>
      <PageHeader title="Timeline" lede="Every fact in one stream: merge requests, pipelines, builds, gates, deploys, credentials." />
      <NotBuiltYet>The timeline is not built yet. Deliveries are already stored; this page will list them once search ships.</NotBuiltYet>
    </>
  );
}
