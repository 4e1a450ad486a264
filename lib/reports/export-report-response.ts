import "server-only";
import type { TReportFormat } from "@/lib/contracts/reports";
import type { TReport } from "./report-types.ts";
import { writeReportCsv } from "./write-report-csv.ts";
import { writeReportJson } from "./write-report-json.ts";
import { writeReportPdf } from "./write-report-pdf.ts";

export const reportContentType: Record<TReportFormat, string> = { csv: "text/csv; charset=utf-8", json: "application/json; charset=utf-8", pdf: "application/pdf" };

/** The download's file name: report, period days and format. */
export const reportFilename = (name: string, from: string, to: string, format: TReportFormat) => `custody-${name}-${from.slice(0, 10)}-${to.slice(0, 10)}.${format}`;

/** A download of the report: CSV and JSON stream as they are read, the PDF is built whole first. */
export async function exportReportResponse<Row>(report: TReport<Row>, format: TReportFormat): Promise<Response> {
  const body = format === "csv" ? writeReportCsv(report) : format === "json" ? writeReportJson(report) : await writeReportPdf(report);
  return new Response(body as BodyInit, {
    headers: {
      "Content-Type": reportContentType[format],
      "Content-Disposition": `attachment; filename="${reportFilename(report.name, report.query.from, report.query.to, format)}"`,
      "Cache-Control": "no-store",
    },
  });
}
