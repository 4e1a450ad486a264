import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { ReportDownloads } from "@/components/reports/report-downloads";

export const metadata: Metadata = { title: "Reports" };

export default function Page() {
  return (
    <>
      <PageHeader
        title="Reports"
        lede="Change-management, credentials and ingest-completeness reports for an auditor, as CSV, JSON or PDF. Large periods stream as they download; every export is recorded in the audit trail."
      />
      <ReportDownloads />
    </>
  );
}
