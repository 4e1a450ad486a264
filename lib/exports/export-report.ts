import "server-only";
import { once } from "node:events";
import type { Writable } from "node:stream";
import { ZReportQuery, type TReportFormat, type TReportName, type TReportQuery } from "@/lib/contracts/reports";
import { getReportPool } from "@/lib/db";
import { buildChangeManagementReport } from "@/lib/reports/build-change-management-report";
import { buildCompletenessReport } from "@/lib/reports/build-completeness-report";
import { buildCredentialsReport } from "@/lib/reports/build-credentials-report";
import { reportContentType, reportFilename } from "@/lib/reports/export-report-response";
import type { TReport } from "@/lib/reports/report-types";
import { writeReportCsv } from "@/lib/reports/write-report-csv";
import { writeReportJson } from "@/lib/reports/write-report-json";
import { writeReportPdf } from "@/lib/reports/write-report-pdf";
import { ZExportPeriodParams, type TExportPeriodParams } from "@/lib/contracts/exports";
import type { TExportKind } from "./export-types.ts";

const builders: Record<TReportName, (query: TReportQuery) => TReport<unknown>> = {
  "change-management": (q) => buildChangeManagementReport(q) as TReport<unknown>,
  credentials: (q) => buildCredentialsReport(q) as TReport<unknown>,
  completeness: (q) => buildCompletenessReport(q) as TReport<unknown>,
};

/** Rows the report will have, when cheap to know up front (one row per deployment); null otherwise. */
async function countRows(name: TReportName, query: TReportQuery): Promise<number | null> {
  if (name !== "change-management") return null;
  const { rows } = await getReportPool().query<{ n: number }>(
    `SELECT count(*)::int AS n FROM deployment WHERE occurred_at >= $1 AND occurred_at < $2 AND (cardinality($3::text[]) = 0 OR environment = ANY($3::text[]))`,
    [query.from, query.to, query.environment],
  );
  return rows[0]!.n;
}


/**
 * A report as a background export kind: the same bytes the synchronous route streams, written to
 * `out`, with progress counted in rows as they are written.
 */
export function exportReport(name: TReportName, format: TReportFormat): TExportKind {
  return {
    params: ZExportPeriodParams.superRefine((params, ctx) => {
      const parsed = ZReportQuery.safeParse({ ...params, format });
      for (const issue of parsed.success ? [] : parsed.error.issues) ctx.addIssue({ code: "custom", message: issue.message, path: issue.path });
    }),
    contentType: reportContentType[format],
    filename: (params) => {
      const { from, to } = params as TExportPeriodParams;
      return reportFilename(name, from, to, format);
    },
    async run(params, _actor, out: Writable, onProgress) {
      const query = ZReportQuery.parse({ ...(params as TExportPeriodParams), format });
      const total = await countRows(name, query);
      const report = builders[name](query);
      let done = 0;
      onProgress(0, total);
      const rows = report.rows;
      const counted: TReport<unknown> = {
        ...report,
        rows: (async function* () {
          for await (const row of rows) {
            done += 1;
            if (done % 500 === 0) onProgress(done, total);
            yield row;
          }
        })(),
      };
      const write = async (chunk: Uint8Array) => {
        if (!out.write(chunk)) await once(out, "drain");
      };
      if (format === "pdf") await write(await writeReportPdf(counted));
      else for await (const chunk of (format === "csv" ? writeReportCsv(counted) : writeReportJson(counted)) as unknown as AsyncIterable<Uint8Array>) await write(chunk);
      onProgress(done, total ?? done);
      out.end();
    },
  };
}
