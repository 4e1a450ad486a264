import type { Metadata } from "next";
import { NotBuiltYet } from "@/components/not-built-yet";
import { PageHeader } from "@/components/page-header";

export const metadata: Metadata = { title: "Reports" };

export default function Page() {
  return (
    <>
      <PageHeader title="Reports" lede="Change-management, credentials and ingest-completeness reports." />
      <NotBuiltYet>Reports and evidence packs are not built yet.</NotBuiltYet>
    </>
  );
}
