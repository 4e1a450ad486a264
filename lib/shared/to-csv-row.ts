/**
 * One CSV line (RFC 4180 quoting). Cells starting with = + - @ or a tab/CR are prefixed with an
 * apostrophe so a spreadsheet never runs them as formulas (CSV injection).
 */
export function toCsvRow(cells: readonly (string | number | null | undefined)[]): string {
  return `${cells
    .map((cell) => {
      let text = cell === null || cell === undefined ? "" : String(cell);
      if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
      return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
    })
    .join(",")}\r\n`;
}
