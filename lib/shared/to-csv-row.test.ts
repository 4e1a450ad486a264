import { describe, expect, it } from "vitest";
import { toCsvRow } from "./to-csv-row.ts";

describe("CSV rows", () => {
  it("quote commas, quotes and line breaks", () => {
    expect(toCsvRow(["a", "b,c", 'say "hi"', "two\nlines", null, 3])).toBe('a,"b,c","say ""hi""","two\nlines",,3\r\n');
  });

  it("cannot smuggle a spreadsheet formula", () => {
    expect(toCsvRow(["=HYPERLINK(\"http://evil\")", "+1", "-2", "@SUM(A1)"])).toBe(`"'=HYPERLINK(""http://evil"")",'+1,'-2,'@SUM(A1)\r\n`);
  });
});
