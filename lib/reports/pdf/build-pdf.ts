import { measureText, type TPdfFont } from "./font-metrics.ts";
import { toWinAnsi } from "./to-win-ansi.ts";

export type TPdfTableColumn = { label: string; /** Relative width; columns share the line in proportion. */ weight?: number; font?: TPdfFont };

export type TPdfBlock =
  | { type: "heading"; text: string; level?: 1 | 2 }
  | { type: "paragraph"; text: string; font?: TPdfFont; muted?: boolean }
  | { type: "table"; columns: TPdfTableColumn[]; rows: string[][]; /** Shown instead of an empty table. */ empty?: string }
  | { type: "pageBreak" };

export type TPdfDocument = {
  title: string;
  subject?: string;
  /** Fixes the creation date (and so the bytes); defaults to now. */
  createdAt?: Date;
  blocks: TPdfBlock[];
};

// A4 in points, with margins that leave room for the footer.
const PAGE = { width: 595.28, height: 841.89, margin: 50, footer: 30 };
const CONTENT_WIDTH = PAGE.width - 2 * PAGE.margin;
const BODY = 10;
const TABLE = 8;
const CELL_PAD = 3;
const fontResource: Record<TPdfFont, string> = { regular: "F1", bold: "F2", mono: "F3" };
const MUTED = "0.36 0.40 0.45 rg";
const INK = "0.11 0.14 0.17 rg";

/** A PDF string literal: parentheses and backslashes escaped, bytes above ASCII as octal escapes. */
function literal(winAnsi: string): string {
  let out = "(";
  for (let i = 0; i < winAnsi.length; i += 1) {
    const ch = winAnsi[i]!;
    const code = winAnsi.charCodeAt(i);
    if (ch === "(" || ch === ")" || ch === "\\") out += `\\${ch}`;
    else if (code > 126) out += `\\${code.toString(8).padStart(3, "0")}`;
    else out += ch;
  }
  return `${out})`;
}

/** Greedy word wrap to `width` points; words longer than a line are broken between characters. */
function wrap(text: string, font: TPdfFont, size: number, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of toWinAnsi(text).split("\n")) {
    let line = "";
    for (const word of paragraph.split(/ +/)) {
      const candidate = line ? `${line} ${word}` : word;
      if (measureText(candidate, font, size) <= width) {
        line = candidate;
        continue;
      }
      if (line) lines.push(line);
      line = "";
      let rest = word;
      while (measureText(rest, font, size) > width) {
        let cut = rest.length - 1;
        while (cut > 1 && measureText(rest.slice(0, cut), font, size) > width) cut -= 1;
        // Prefer to break after a separator (paths, references, e-mail) when one falls in the second half.
        const soft = Math.max(...["/", "-", "!", ":", "@", ".", "_"].map((c) => rest.lastIndexOf(c, cut - 1)));
        if (soft >= cut / 2) cut = soft + 1;
        lines.push(rest.slice(0, cut));
        rest = rest.slice(cut);
      }
      line = rest;
    }
    lines.push(line);
  }
  return lines;
}

function pdfDate(d: Date): string {
  const iso = d.toISOString();
  return `D:${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
}

/**
 * A PDF 1.4 file from headings, paragraphs and tables, laid out on A4 pages in the standard
 * Helvetica and Courier fonts (nothing embedded, no dependencies, no browser). Content streams are
 * left uncompressed so the text stays searchable with plain tools. Tables wrap cell text, break
 * across pages and repeat their header row; every page gets "title · page n of N" at the foot.
 * Deterministic: the same document and `createdAt` give the same bytes.
 */
export function buildPdf(doc: TPdfDocument): Uint8Array {
  const pages: string[][] = [];
  let ops: string[] = [];
  let y = 0;
  const top = PAGE.height - PAGE.margin;
  const bottom = PAGE.margin + PAGE.footer;
  const newPage = () => {
    ops = [];
    pages.push(ops);
    y = top;
  };
  newPage();
  const ensure = (height: number) => {
    if (y - height < bottom && y < top) newPage();
  };
  const text = (x: number, baseline: number, line: string, font: TPdfFont, size: number, color = INK) =>
    ops.push(`BT ${color} /${fontResource[font]} ${size} Tf ${x.toFixed(2)} ${baseline.toFixed(2)} Td ${literal(line)} Tj ET`);

  for (const block of doc.blocks) {
    if (block.type === "pageBreak") {
      if (y < top) newPage();
      continue;
    }
    if (block.type === "heading") {
      const size = block.level === 2 ? 12.5 : 18;
      const lines = wrap(block.text, "bold", size, CONTENT_WIDTH);
      const before = y < top ? size * 0.9 : 0;
      // Keep a heading with at least three lines of what follows it.
      ensure(before + lines.length * size * 1.25 + BODY * 1.4 * 3);
      y -= y < top ? before : 0;
      for (const line of lines) {
        y -= size * 1.25;
        text(PAGE.margin, y + size * 0.25, line, "bold", size);
      }
      if (block.level !== 2) {
        y -= 6;
        ops.push(`0.8 G 0.75 w ${PAGE.margin} ${y.toFixed(2)} m ${PAGE.margin + CONTENT_WIDTH} ${y.toFixed(2)} l S`);
      }
      y -= 6;
      continue;
    }
    if (block.type === "paragraph") {
      const font = block.font ?? "regular";
      for (const line of wrap(block.text, font, BODY, CONTENT_WIDTH)) {
        ensure(BODY * 1.4);
        y -= BODY * 1.4;
        text(PAGE.margin, y + BODY * 0.35, line, font, BODY, block.muted ? MUTED : INK);
      }
      y -= 4;
      continue;
    }
    // Tables
    if (block.rows.length === 0) {
      if (block.empty) {
        ensure(BODY * 1.4);
        y -= BODY * 1.4;
        text(PAGE.margin, y + BODY * 0.35, toWinAnsi(block.empty), "regular", BODY, MUTED);
        y -= 4;
      }
      continue;
    }
    const total = block.columns.reduce((sum, c) => sum + (c.weight ?? 1), 0);
    const widths = block.columns.map((c) => (CONTENT_WIDTH * (c.weight ?? 1)) / total);
    const lineHeight = TABLE * 1.3;
    const layoutRow = (cells: string[], header: boolean) => {
      const wrapped = block.columns.map((c, i) => wrap(cells[i] ?? "", header ? "bold" : (c.font ?? "regular"), TABLE, widths[i]! - 2 * CELL_PAD));
      // A row never outgrows one page: cut what does not fit and say so.
      const maxLines = Math.floor((top - bottom - 4 * lineHeight) / lineHeight);
      const cut = wrapped.map((lines) => (lines.length > maxLines ? [...lines.slice(0, maxLines - 1), "[...]"] : lines));
      return { cut, height: Math.max(1, ...cut.map((l) => l.length)) * lineHeight + 2 * CELL_PAD };
    };
    const drawRow = (row: ReturnType<typeof layoutRow>, header: boolean) => {
      y -= row.height;
      if (header) ops.push(`0.93 g ${PAGE.margin} ${y.toFixed(2)} ${CONTENT_WIDTH.toFixed(2)} ${row.height.toFixed(2)} re f`);
      let x = PAGE.margin;
      row.cut.forEach((lines, i) => {
        const font: TPdfFont = header ? "bold" : (block.columns[i]!.font ?? "regular");
        lines.forEach((line, n) => text(x + CELL_PAD, y + row.height - CELL_PAD - (n + 1) * lineHeight + TABLE * 0.3, line, font, TABLE));
        x += widths[i]!;
      });
      ops.push(`0.82 G 0.5 w ${PAGE.margin} ${y.toFixed(2)} m ${(PAGE.margin + CONTENT_WIDTH).toFixed(2)} ${y.toFixed(2)} l S`);
    };
    const header = layoutRow(block.columns.map((c) => c.label), true);
    let headerOnPage = false;
    for (const cells of block.rows) {
      const row = layoutRow(cells, false);
      if (y - row.height - (headerOnPage ? 0 : header.height) < bottom) {
        newPage();
        headerOnPage = false;
      }
      if (!headerOnPage) {
        drawRow(header, true);
        headerOnPage = true;
      }
      drawRow(row, false);
    }
    y -= 10;
  }

  const title = toWinAnsi(doc.title);
  pages.forEach((pageOps, i) => {
    const foot = `${title} \u00b7 page ${i + 1} of ${pages.length}`;
    pageOps.push(`BT ${MUTED} /F1 8 Tf ${PAGE.margin} ${PAGE.margin - 10} Td ${literal(toWinAnsi(foot))} Tj ET`);
  });

  // Objects: 1 catalog, 2 page tree, 3-5 fonts, 6 info, then a page and its content stream per page.
  const objects: string[] = [];
  const pageIds = pages.map((_, i) => 7 + i * 2);
  objects[1] = "<< /Type /Catalog /Pages 2 0 R >>";
  objects[2] = `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(" ")}] /Count ${pages.length} >>`;
  objects[3] = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>";
  objects[4] = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>";
  objects[5] = "<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding >>";
  const created = pdfDate(doc.createdAt ?? new Date());
  objects[6] = `<< /Title ${literal(title)}${doc.subject ? ` /Subject ${literal(toWinAnsi(doc.subject))}` : ""} /Producer (Custody) /CreationDate (${created}) >>`;
  pages.forEach((pageOps, i) => {
    const stream = pageOps.join("\n");
    objects[pageIds[i]!] =
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${PAGE.width} ${PAGE.height}] ` +
      `/Resources << /Font << /F1 3 0 R /F2 4 0 R /F3 5 0 R >> >> /Contents ${pageIds[i]! + 1} 0 R >>`;
    objects[pageIds[i]! + 1] = `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`;
  });

  // One char is one byte in latin1 (the binary marker in the header is the only non-ASCII), so byte offsets are exact.
  let file = "%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n";
  const offsets: number[] = [];
  for (let id = 1; id < objects.length; id += 1) {
    offsets[id] = Buffer.byteLength(file, "latin1");
    file += `${id} 0 obj\n${objects[id]}\nendobj\n`;
  }
  const xref = Buffer.byteLength(file, "latin1");
  file += `xref\n0 ${objects.length}\n0000000000 65535 f \n`;
  for (let id = 1; id < objects.length; id += 1) file += `${String(offsets[id]).padStart(10, "0")} 00000 n \n`;
  file += `trailer\n<< /Size ${objects.length} /Root 1 0 R /Info 6 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(file, "latin1"));
}
