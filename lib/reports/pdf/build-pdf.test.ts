import { describe, expect, it } from "vitest";
import { buildPdf } from "./build-pdf.ts";

/** Reads a PDF the way a viewer starts to: startxref → xref table → every object at its offset. */
function parsePdf(bytes: Uint8Array) {
  const text = Buffer.from(bytes).toString("latin1");
  expect(text.startsWith("%PDF-1.4\n")).toBe(true);
  expect(text.trimEnd().endsWith("%%EOF")).toBe(true);
  const startxref = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(text)![1]);
  expect(text.slice(startxref, startxref + 5)).toBe("xref\n");
  const [, first, count] = /^xref\n(\d+) (\d+)\n/.exec(text.slice(startxref))!;
  expect(Number(first)).toBe(0);
  const entries = text.slice(startxref).split("\n").slice(2, 2 + Number(count));
  const objects = new Map<number, string>();
  entries.forEach((entry, id) => {
    expect(entry).toMatch(/^\d{10} \d{5} [nf] $/);
    if (id === 0) return;
    const offset = Number(entry.slice(0, 10));
    const end = text.indexOf("\nendobj", offset);
    expect(text.slice(offset).startsWith(`${id} 0 obj\n`), `object ${id} at ${offset}`).toBe(true);
    objects.set(id, text.slice(offset + `${id} 0 obj\n`.length, end));
  });
  const trailer = /trailer\n<< \/Size (\d+) \/Root (\d+) 0 R/.exec(text)!;
  expect(Number(trailer[1])).toBe(Number(count));
  // Stream lengths must be exact or viewers read garbage.
  for (const body of objects.values()) {
    const stream = /^<< \/Length (\d+) >>\nstream\n([\s\S]*)\nendstream$/.exec(body);
    if (stream) expect(stream[2]!.length).toBe(Number(stream[1]));
  }
  const pageCount = Number(/\/Type \/Pages \/Kids \[[^\]]*\] \/Count (\d+)/.exec(text)![1]);
  const shown = [...text.matchAll(/\((?:\\.|[^\\)])*\) Tj/g)].map((m) => m[0].slice(1, -4).replace(/\\([()\\])/g, "$1"));
  return { text, objects, pageCount, shown };
}

describe("buildPdf", () => {
  it("writes a PDF whose cross-reference table points at every object and whose text is searchable", () => {
    const pdf = parsePdf(
      buildPdf({
        title: "Test (report)",
        createdAt: new Date("2026-09-14T10:00:00Z"),
        blocks: [
          { type: "heading", text: "Deploy receipt" },
          { type: "paragraph", text: "Back\\slash and (parens) survive; Zoë — café." },
          { type: "table", columns: [{ label: "Who" }, { label: "SHA", font: "mono", weight: 3 }], rows: [["Erin Lead", "a".repeat(40)]] },
        ],
      }),
    );
    expect(pdf.pageCount).toBe(1);
    expect(pdf.shown).toContain("Deploy receipt");
    expect(pdf.shown).toContain("Erin Lead");
    expect(pdf.shown).toContain("a".repeat(40));
    expect(pdf.shown).toContain("Back\\slash and (parens) survive; Zo\\353 \\227 caf\\351.");
    expect(pdf.text).toContain("/BaseFont /Helvetica ");
    expect(pdf.text).toContain("/CreationDate (D:20260914100000Z)");
  });

  it("breaks long tables across pages, repeats the header and numbers the pages", () => {
    const rows = Array.from({ length: 200 }, (_, i) => [`row ${i}`, `value ${i} `.repeat(i % 7 === 0 ? 30 : 1)]);
    const pdf = parsePdf(buildPdf({ title: "Long", blocks: [{ type: "table", columns: [{ label: "Name" }, { label: "Value", weight: 4 }], rows }] }));
    expect(pdf.pageCount).toBeGreaterThan(3);
    expect(pdf.shown.filter((s) => s === "Name").length).toBe(pdf.pageCount);
    expect(pdf.shown).toContain(`Long \\267 page ${pdf.pageCount} of ${pdf.pageCount}`);
    for (let i = 0; i < 200; i += 1) expect(pdf.shown).toContain(`row ${i}`);
  });

  it("starts a new page on a page break and is byte-for-byte repeatable", () => {
    const doc = { title: "Two", createdAt: new Date(0), blocks: [{ type: "paragraph" as const, text: "one" }, { type: "pageBreak" as const }, { type: "paragraph" as const, text: "two" }] };
    expect(parsePdf(buildPdf(doc)).pageCount).toBe(2);
    expect(Buffer.from(buildPdf(doc)).equals(Buffer.from(buildPdf(doc)))).toBe(true);
  });

  it("wraps a word longer than the line instead of running off the page", () => {
    const pdf = parsePdf(buildPdf({ title: "Wide", blocks: [{ type: "paragraph", text: "x".repeat(500) }] }));
    const xs = pdf.shown.filter((s) => /^x+$/.test(s));
    expect(xs.length).toBeGreaterThan(1);
    expect(xs.join("")).toBe("x".repeat(500));
  });
});
