import { createHash } from "node:crypto";
import type { Writable } from "node:stream";
import { crc32 } from "node:zlib";
import { centralEntry, endRecords, localHeader } from "./verify-pack.mjs";

export type TZipWriter = {
  /** Writes one stored entry (waits for the stream to drain); returns the SHA-256 (hex) of `data`. */
  add: (name: string, data: Buffer) => Promise<string>;
  /** Writes the central directory and end records (ZIP64 ones when there are over 65,534 entries or offsets pass 4 GiB). */
  finish: () => Promise<{ bytes: number; sha256: string }>;
};

const MAX32 = 0xffffffff;

/** Waits for `drain`; a destination closed meanwhile (a cancelled download) rejects instead of waiting forever. */
function drained(out: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (error?: Error) => {
      out.off("drain", onDrain);
      out.off("close", onClose);
      out.off("error", onClose);
      if (error) reject(error);
      else resolve();
    };
    const onDrain = () => done();
    const onClose = () => done(new Error("the pack's destination was closed before the pack was complete"));
    out.on("drain", onDrain);
    out.on("close", onClose);
    out.on("error", onClose);
  });
}

/**
 * A minimal zip writer for evidence packs: STORE only (no compression, so each file's bytes appear
 * verbatim in the archive), UTF-8 names, no extra fields except the ZIP64 offset in the central
 * directory when needed, no comment, with dates fixed at 1980-01-01 so the same content gives the
 * same bytes. The header bytes come from verify-pack.mjs, which reads exactly this layout and refuses
 * others.
 * Writes straight to `out`, respecting backpressure; holds only the central directory in memory.
 */
export function createZipWriter(out: Writable | NodeJS.WritableStream): TZipWriter {
  const whole = createHash("sha256");
  const central: Buffer[] = [];
  let offset = 0;
  let count = 0;

  async function write(chunk: Buffer): Promise<void> {
    if ((out as Writable).destroyed) throw new Error("the pack's destination was closed before the pack was complete");
    whole.update(chunk);
    offset += chunk.length;
    if (!out.write(chunk)) await drained(out as Writable);
  }

  return {
    async add(name, data) {
      if (data.length >= MAX32) throw new RangeError(`${name}: files of 4 GiB or more are not supported in a pack`);
      const crc = crc32(data) >>> 0;
      central.push(centralEntry(name, crc, data.length, offset));
      count += 1;
      await write(localHeader(name, crc, data.length));
      if (data.length) await write(data);
      return createHash("sha256").update(data).digest("hex");
    },

    async finish() {
      const cdOffset = offset;
      const cd = Buffer.concat(central);
      await write(cd);
      await write(endRecords(count, cd.length, cdOffset));
      return { bytes: offset, sha256: whole.digest("hex") };
    },
  };
}
