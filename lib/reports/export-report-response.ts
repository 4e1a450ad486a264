import "server-only";
import type { TReportFormat } from "@/lib/contracts/reports";
import type { TReport } from "./report-types.ts";
import { writeReportCsv } from "./write-report-csv.ts";
import { writeReportJson } from "./write-report-json.ts";
import { writeReportPdf } from "./write-report-pdf.ts";

const contentType: Record<TReportFormat, string> = { csv: "text/csv; charset=utf-8", json: "application/json; charset=utf-8", pdf: "application/pdf" };

/** A download of the report: CSV and JSON stream as they are read, the PDF is built whole first. */
export async function exportReportResponse<Row>(report: TReport<Row>, format: TReportFormat): Promise<Response> {
  const body = format === "csv" ? writeReportCsv(report) : format === "json" ? writeReportJson(report) : await writeReportPdf(report);
  const day = (iso: string) => iso.slice(0, 10);
  return new Response(body as BodyInit, {
    headers: {
      "Content-Type": contentType[format],
      "Content-Disposition": `attachment; filename="custody-${report.name}-${day(report.query.from)}-${day(report.query.to)}.${format}"`,
      "Cache-Control": "no-store",
    },
  });
}
