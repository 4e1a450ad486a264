import type { TReport } from "./report-types.ts";

const CHUNK = 64 * 1024;
const NEEDS_QUOTES = /[",\r\n]/;
const QUOTE = /"/g;

/**
 * One CSV cell, exactly as `toCsvRow` (lib/shared/to-csv-row.ts) writes it, without its per-cell
 * regular expressions in the common case: a cell starting with = + - @ or a tab/CR is prefixed with
 * an apostrophe (formula neutralization), and a cell is quoted only if it holds a quote, comma or line
 * break or starts or ends with whitespace. Every character `String#trim` removes is at or below U+0020
 * or at or above U+00A0, so ends strictly between the two need no trim to compare.
 */
function csvCell(cell: string | number | null | undefined): string {
  if (cell === null || cell === undefined) return "";
  let text = typeof cell === "string" ? cell : String(cell);
  if (text.length === 0) return text;
  const first = text.charCodeAt(0);
  if (first === 61 || first === 43 || first === 45 || first === 64 || first === 9 || first === 13) text = `'${text}`;
  const head = text.charCodeAt(0);
  const tail = text.charCodeAt(text.length - 1);
  const plainEnds = head > 32 && head < 160 && tail > 32 && tail < 160;
  return NEEDS_QUOTES.test(text) || (!plainEnds && text !== text.trim()) ? `"${text.replace(QUOTE, '""')}"` : text;
}

function csvLine(cells: readonly (string | number | null | undefined)[]): string {
  let line = csvCell(cells[0]);
  for (let i = 1; i < cells.length; i++) line += `,${csvCell(cells[i])}`;
  return `${line}\r\n`;
}

/**
 * The report's rows as CSV (RFC 4180, formula-safe cells), header first, streamed: rows are pulled
 * from the report only as the reader asks for more, about 64 KiB at a time.
 */
export function writeReportCsv<Row>(report: TReport<Row>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const iterator = report.rows[Symbol.asyncIterator]();
  const values = report.columns.map((c) => c.value);
  let header = true;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let text = header ? csvLine(report.columns.map((c) => c.key)) : "";
      header = false;
      while (text.length < CHUNK) {
        const next = await iterator.next();
        if (next.done) {
          if (text) controller.enqueue(encoder.encode(text));
          controller.close();
          return;
        }
        const row = next.value;
        let line = csvCell(values[0]!(row));
        for (let i = 1; i < values.length; i++) line += `,${csvCell(values[i]!(row))}`;
        text += `${line}\r\n`;
      }
      controller.enqueue(encoder.encode(text));
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}
