import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseSourceDate } from "./parse-source-date";

// Formats from gitlab.md §2.0 (GitLab before and after !233400) and buildkite.md §2.
describe("parseSourceDate", () => {
  it.each([
    ["GitLab ISO with milliseconds and Z (19.1+, Test button, Buildkite)", "2026-09-14T09:14:27.861Z", "2026-09-14T09:14:27.861Z"],
    ["GitLab *_iso fields: ISO without milliseconds, Z", "2026-09-14T10:05:50Z", "2026-09-14T10:05:50.000Z"],
    ["commit timestamps: ISO with the author's offset", "2026-09-14T11:10:52+02:00", "2026-09-14T09:10:52.000Z"],
    ["a negative offset", "2026-09-14T04:10:52-05:00", "2026-09-14T09:10:52.000Z"],
    ["an offset with minutes", "2026-09-14T14:40:52+05:30", "2026-09-14T09:10:52.000Z"],
    ["deployment status_changed_at after !233400: ms and +00:00", "2026-09-14T10:31:05.000+00:00", "2026-09-14T10:31:05.000Z"],
    ["microseconds, truncated to milliseconds", "2026-09-14T10:31:05.123456Z", "2026-09-14T10:31:05.123Z"],
    ["a single fractional digit", "2026-09-14T10:31:05.5Z", "2026-09-14T10:31:05.500Z"],
    ["Ruby Time#to_s in UTC (GitLab before !233400)", "2026-09-14 09:14:27 UTC", "2026-09-14T09:14:27.000Z"],
    ["Ruby Time#to_s on a non-UTC instance", "2021-04-28 21:50:00 +0200", "2021-04-28T19:50:00.000Z"],
    ["Ruby Time#to_s west of UTC", "2021-04-28 21:50:00 -0700", "2021-04-29T04:50:00.000Z"],
    ["a date-only field, read as UTC midnight", "2024-01-26", "2024-01-26T00:00:00.000Z"],
    ["a leap day", "2024-02-29", "2024-02-29T00:00:00.000Z"],
    ["surrounding whitespace", "  2026-09-14 09:14:27 UTC\n", "2026-09-14T09:14:27.000Z"],
    ["a year before 100", "0099-01-01T00:00:00Z", "0099-01-01T00:00:00.000Z"],
  ])("reads %s", (_label, input, expected) => {
    expect(parseSourceDate(input)?.toISOString()).toBe(expected);
  });

  it.each([
    ["integer unix seconds", 1642080837, "2022-01-13T13:33:57.000Z"],
    ["fractional unix seconds", 1614265330.123, "2021-02-25T15:02:10.123Z"],
    ["zero", 0, "1970-01-01T00:00:00.000Z"],
  ])("reads %s", (_label, input, expected) => {
    expect(parseSourceDate(input)?.toISOString()).toBe(expected);
  });

  it("returns a copy of a valid Date", () => {
    const original = new Date("2026-09-14T09:14:27.861Z");
    const parsed = parseSourceDate(original);
    expect(parsed?.getTime()).toBe(original.getTime());
    expect(parsed).not.toBe(original);
  });

  it.each([
    ["null", null],
    ["undefined", undefined],
    ["an empty string", ""],
    ["whitespace", "   "],
    ["garbage", "yesterday"],
    ["an Invalid Date", new Date(Number.NaN)],
    ["NaN", Number.NaN],
    ["Infinity", Number.POSITIVE_INFINITY],
    ["seconds beyond the Date range", 9e15],
    ["a boolean", true],
    ["an object", { at: "2026-09-14" }],
    ["a digit string", "1642080837"],
    ["February 30th", "2026-02-30"],
    ["February 29th of a common year", "2025-02-29T00:00:00Z"],
    ["month 13", "2026-13-01"],
    ["hour 24", "2026-09-14T24:00:00Z"],
    ["minute 60", "2026-09-14 09:60:00 UTC"],
    ["second 60", "2026-09-14T09:14:60Z"],
    ["an offset hour of 24", "2026-09-14T09:14:27+24:00"],
    ["an ISO time without a zone", "2026-09-14T09:14:27"],
    ["an ISO offset without the colon", "2026-09-14T09:14:27+0200"],
    ["a Ruby time without a zone", "2026-09-14 09:14:27"],
    ["a Ruby time with a named zone other than UTC", "2026-09-14 09:14:27 CEST"],
    ["a Ruby offset with a colon", "2026-09-14 09:14:27 +02:00"],
    ["an RFC 2822 date", "Mon, 14 Sep 2026 09:14:27 GMT"],
    ["a date with a trailing word", "2026-09-14 tomorrow"],
  ])("returns null for %s", (_label, input) => {
    expect(parseSourceDate(input)).toBeNull();
  });

  it("never returns an Invalid Date, whatever it is given", () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.string(), fc.double(), fc.stringMatching(/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}:\d{2}(\.\d{1,4})?( ?UTC|Z|[+-]\d{2}:?\d{2})?)?$/)), (value) => {
        const parsed = parseSourceDate(value);
        if (parsed !== null) expect(Number.isNaN(parsed.getTime())).toBe(false);
      }),
      { numRuns: 2_000 },
    );
  });

  it("reads back every instant it writes in each format", () => {
    fc.assert(
      fc.property(fc.date({ min: new Date("1970-01-01T00:00:00Z"), max: new Date("2100-01-01T00:00:00Z"), noInvalidDate: true }), (date) => {
        const iso = date.toISOString();
        const seconds = new Date(Math.floor(date.getTime() / 1000) * 1000);
        expect(parseSourceDate(iso)?.getTime()).toBe(date.getTime());
        expect(parseSourceDate(iso.replace(/\.\d{3}Z$/, "Z"))?.getTime()).toBe(seconds.getTime());
        expect(parseSourceDate(`${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`)?.getTime()).toBe(seconds.getTime());
        expect(parseSourceDate(iso.slice(0, 10))?.toISOString().slice(0, 10)).toBe(iso.slice(0, 10));
      }),
      { numRuns: 2_000 },
    );
  });
});
