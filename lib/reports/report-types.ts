import type { TReportName, TReportQuery } from "@/lib/contracts/reports";

export type TReportCell = string | number | null | undefined;

export type TReportColumn<Row> = { key: string; label: string; value: (row: Row) => TReportCell; /** Relative width in the PDF table. */ weight?: number };

/**
 * A report: rows pulled once, in order, from an async iterable (loaded in batches, never all at
 * once), and a summary that is complete once the rows have been read to the end. Writers in this
 * folder turn it into CSV, JSON or PDF.
 */
export type TReport<Row> = {
  name: TReportName;
  title: string;
  query: TReportQuery;
  columns: TReportColumn<Row>[];
  rows: AsyncIterable<Row>;
  summary: () => Record<string, unknown>;
};
