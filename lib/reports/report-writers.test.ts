import { describe, expect, it } from "vitest";
import type { TReportQuery } from "@/lib/contracts/reports";
import type { TReport } from "./report-types.ts";
import { toCsvRow } from "@/lib/shared/to-csv-row";
import { writeReportCsv } from "./write-report-csv.ts";
import { writeReportJson } from "./write-report-json.ts";
import { PDF_MAX_ROWS, writeReportPdf } from "./write-report-pdf.ts";

const query: TReportQuery = { from: "2026-09-01T00:00:00Z", to: "2026-10-01T00:00:00Z", environment: ["production"], format: "csv" };
type TRow = { a: string | null; n: number };

function report(rows: TRow[]): TReport<TRow> & { pulled: () => number } {
  let pulled = 0;
  async function* gen() {
    for (const row of rows) {
      pulled += 1;
      yield row;
    }
  }
  return {
    name: "change-management",
    title: "Change management",
    query,
    columns: [
      { key: "a", label: "A", value: (r) => r.a },
      { key: "n", label: "N", value: (r) => r.n },
    ],
    rows: gen(),
    summary: () => ({ rows: pulled }),
    pulled: () => pulled,
  };
}

describe("the CSV writer", () => {
  it("neutralizes every cell a spreadsheet could run as a formula and quotes per RFC 4180", async () => {
    const cells = ["=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "\tx", "\rx", 'say "hi"', "a,b", "two\nlines", " padded ", "plain", null];
    const csv = await new Response(writeReportCsv(report(cells.map((a, n) => ({ a, n }))))).text();
    expect(csv.split("\r\n").slice(0, 1)).toEqual(["a,n"]);
    expect(csv).toBe(
      [
        "a,n",
        `"'=HYPERLINK(""http://x"")",0`,
        "'+1,1",
        "'-2,2",
        "'@SUM(A1),3",
        "'\tx,4",
        `"'\rx",5`,
        `"say ""hi""",6`,
        `"a,b",7`,
        `"two\nlines",8`,
        `" padded ",9`,
        "plain,10",
        ",11",
        "",
      ].join("\r\n"),
    );
  });

  it("writes every cell exactly as toCsvRow does, whitespace, quotes, formulas and non-ASCII included", async () => {
    const parts = ["", "a", " ", "\t", "\r", "\n", '"', ",", "=", "+", "-", "@", "'", "\u00a0", "\u2003", "\ufeff", "\u3000", "é", "x y", "~", "\u007f", "\u009f", "😀"];
    const cells: (string | null)[] = [null];
    for (const a of parts) for (const b of parts) for (const c of ["", "z", ...parts.slice(0, 8)]) cells.push(a + c + b);
    const csv = await new Response(writeReportCsv(report(cells.map((a, n) => ({ a, n }))))).text();
    expect(csv).toBe(toCsvRow(["a", "n"]) + cells.map((a, n) => toCsvRow([a, n])).join(""));
  });

  it("pulls rows only as the reader asks for them", async () => {
    const big = report(Array.from({ length: 20_000 }, (_, n) => ({ a: "x".repeat(20), n })));
    const reader = writeReportCsv(big).getReader();
    const first = await reader.read();
    expect(first.value!.byteLength).toBeGreaterThan(0);
    expect(big.pulled()).toBeLessThan(5_000);
    let lines = new TextDecoder().decode(first.value).split("\r\n").length - 1;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      lines += new TextDecoder().decode(value).split("\r\n").length - 1;
    }
    expect(lines).toBe(20_001);
    expect(big.pulled()).toBe(20_000);
  });
});

describe("the JSON writer", () => {
  it("streams one object with the filters, the rows and the summary counted over them", async () => {
    const json = JSON.parse(await new Response(writeReportJson(report([{ a: "=1", n: 1 }, { a: null, n: 2 }]), new Date("2026-10-02T00:00:00Z"))).text());
    expect(json).toEqual({
      report: "change-management",
      title: "Change management",
      filters: { from: query.from, to: query.to, environment: ["production"] },
      generatedAt: "2026-10-02T00:00:00.000Z",
      rows: [{ a: "=1", n: 1 }, { a: null, n: 2 }],
      summary: { rows: 2 },
    });
    expect(JSON.parse(await new Response(writeReportJson(report([]))).text())).toMatchObject({ rows: [], summary: { rows: 0 } });
  });
});

describe("the PDF writer", () => {
  it("writes a PDF with a cross-reference table, the summary and at most PDF_MAX_ROWS rows", async () => {
    const many = report(Array.from({ length: PDF_MAX_ROWS + 5 }, (_, n) => ({ a: `row-${n}`, n })));
    const pdf = Buffer.from(await writeReportPdf(many, new Date("2026-10-02T00:00:00Z"))).toString("latin1");
    expect(pdf.startsWith("%PDF-")).toBe(true);
    const startxref = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(pdf)![1]);
    expect(pdf.slice(startxref, startxref + 4)).toBe("xref");
    expect(pdf).toContain(`(row-${PDF_MAX_ROWS - 1})`);
    expect(pdf).not.toContain(`(row-${PDF_MAX_ROWS})`);
    expect(pdf).toContain(`${PDF_MAX_ROWS + 5}`);
    expect(many.pulled()).toBe(PDF_MAX_ROWS + 5);
  });
});
