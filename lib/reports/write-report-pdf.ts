import { buildPdf, type TPdfBlock } from "./pdf/build-pdf.ts";
import type { TReport } from "./report-types.ts";

/** The PDF lists at most this many rows (a PDF is built in memory); the summary always covers every row. */
export const PDF_MAX_ROWS = 2000;

function flatten(value: unknown, prefix = ""): [string, string][] {
  if (value && typeof value === "object" && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (!entries.length) return [[prefix, "none"]];
    return entries.flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k));
  }
  return [[prefix, Array.isArray(value) ? value.join(", ") || "none" : value === null || value === undefined ? "-" : String(value)]];
}

/**
 * The report as a PDF without a browser (lib/reports/pdf, docs/decisions/005-pdf-writer.md): filters,
 * summary, then the rows, the table cut at PDF_MAX_ROWS with a note pointing at the CSV.
 */
export async function writeReportPdf<Row>(report: TReport<Row>, generatedAt = new Date()): Promise<Uint8Array> {
  const rows: string[][] = [];
  let total = 0;
  for await (const row of report.rows) {
    total += 1;
    if (rows.length < PDF_MAX_ROWS) rows.push(report.columns.map((c) => String(c.value(row) ?? "")));
  }
  const { from, to, environment } = report.query;
  const blocks: TPdfBlock[] = [
    { type: "heading", text: `${report.title} report` },
    { type: "paragraph", text: `Period ${from} to ${to} (end excluded). Environments: ${environment.length ? environment.join(", ") : "all"}. Generated ${generatedAt.toISOString()} by Custody.` },
    { type: "heading", level: 2, text: "Summary" },
    { type: "table", columns: [{ label: "Measure", weight: 2 }, { label: "Value", weight: 3 }], rows: flatten(report.summary()) },
    { type: "heading", level: 2, text: `Rows (${total})` },
    ...(total > PDF_MAX_ROWS ? [{ type: "paragraph" as const, muted: true, text: `The first ${PDF_MAX_ROWS} of ${total} rows; download the CSV or JSON for all of them.` }] : []),
    { type: "table", empty: "Nothing in this period.", columns: report.columns.map((c) => ({ label: c.label, weight: c.weight ?? 1 })), rows },
  ];
  return buildPdf({ title: `Custody ${report.title.toLowerCase()} report`, createdAt: generatedAt, blocks });
}
