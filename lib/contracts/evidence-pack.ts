import { z } from "zod";
import { ZReportQuery } from "./reports.ts";

/** An evidence pack's filters: the reports' period [from, to) (at most 400 days) and environments (all when absent). */
export const ZEvidencePackQuery = ZReportQuery.transform(({ from, to, environment }) => ({ from, to, environment }));
export type TEvidencePackQuery = z.infer<typeof ZEvidencePackQuery>;
