import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { createZipWriter } from "./create-zip-writer.ts";
import { readZip } from "./verify-pack.mjs";

async function zip(entries: { name: string; data: Buffer }[]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const out = new PassThrough();
  out.on("data", (c: Buffer) => chunks.push(c));
  const writer = createZipWriter(out);
  for (const e of entries) await writer.add(e.name, e.data);
  const { bytes } = await writer.finish();
  const all = Buffer.concat(chunks);
  expect(all.length).toBe(bytes);
  return all;
}

describe("the pack zip writer", () => {
  it("writes stored entries the reader gives back byte for byte, in order, the same bytes every time", async () => {
    const entries = [
      { name: "a.txt", data: Buffer.from("hello\n") },
      { name: "dir/empty", data: Buffer.alloc(0) },
      { name: "dir/é.bin", data: Buffer.from([0, 1, 2, 255]) },
    ];
    const first = await zip(entries);
    expect(readZip(first)).toEqual(entries);
    expect((await zip(entries)).equals(first)).toBe(true);
    // STORE: the bytes appear verbatim in the archive.
    expect(first.includes(Buffer.from("hello\n"))).toBe(true);
  });

  it("switches to ZIP64 end records past 65,534 entries and still reads back", async () => {
    const entries = Array.from({ length: 70_000 }, (_, i) => ({ name: `f/${i}`, data: Buffer.from(String(i)) }));
    const bytes = await zip(entries);
    expect(bytes.readUInt32LE(bytes.length - 22 - 20)).toBe(0x07064b50);
    const back = readZip(bytes);
    expect(back).toHaveLength(70_000);
    expect(back[69_999]).toEqual(entries[69_999]);
  });
});
