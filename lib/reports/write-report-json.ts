import type { TReport } from "./report-types.ts";

const CHUNK = 64 * 1024;

/**
 * The report as one JSON object, streamed: `{ report, title, filters, generatedAt, rows: [...], summary }`.
 * The summary comes last because it is counted while the rows go out.
 */
export function writeReportJson<Row>(report: TReport<Row>, generatedAt = new Date()): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const iterator = report.rows[Symbol.asyncIterator]();
  const { from, to, environment } = report.query;
  let head = `{"report":${JSON.stringify(report.name)},"title":${JSON.stringify(report.title)},"filters":${JSON.stringify({ from, to, environment })},"generatedAt":${JSON.stringify(generatedAt.toISOString())},"rows":[`;
  let first = true;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let text = head;
      head = "";
      while (text.length < CHUNK) {
        const next = await iterator.next();
        if (next.done) {
          text += `\n],"summary":${JSON.stringify(report.summary())}}\n`;
          controller.enqueue(encoder.encode(text));
          controller.close();
          return;
        }
        text += `${first ? "\n" : ",\n"}${JSON.stringify(next.value)}`;
        first = false;
      }
      controller.enqueue(encoder.encode(text));
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}
