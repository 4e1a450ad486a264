import { toCsvRow } from "@/lib/shared/to-csv-row";
import type { TReport } from "./report-types.ts";

const CHUNK = 64 * 1024;

/**
 * The report's rows as CSV (RFC 4180, formula-safe cells), header first, streamed: rows are pulled
 * from the report only as the reader asks for more, about 64 KiB at a time.
 */
export function writeReportCsv<Row>(report: TReport<Row>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const iterator = report.rows[Symbol.asyncIterator]();
  let header = true;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let text = header ? toCsvRow(report.columns.map((c) => c.key)) : "";
      header = false;
      while (text.length < CHUNK) {
        const next = await iterator.next();
        if (next.done) {
          if (text) controller.enqueue(encoder.encode(text));
          controller.close();
          return;
        }
        text += toCsvRow(report.columns.map((c) => c.value(next.value)));
      }
      controller.enqueue(encoder.encode(text));
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}
