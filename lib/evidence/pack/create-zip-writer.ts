import { createHash } from "node:crypto";
import type { Writable } from "node:stream";
import { crc32 } from "node:zlib";

export type TZipWriter = {
  /** Writes one stored entry (waits for the stream to drain); returns the SHA-256 (hex) of `data`. */
  add: (name: string, data: Buffer) => Promise<string>;
  /** Writes the central directory and end records (ZIP64 ones when there are over 65,534 entries or offsets pass 4 GiB). */
  finish: () => Promise<{ bytes: number; sha256: string }>;
};

const MAX32 = 0xffffffff;
// 1980-01-01 00:00 in DOS format: entries carry no time, so the same content gives the same bytes.
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
const UTF8_NAMES = 0x0800;

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
 * directory when needed, no comment. verify-pack.mjs reads exactly this layout and refuses others.
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
      const nameBytes = Buffer.from(name, "utf8");
      const crc = crc32(data) >>> 0;
      const local = Buffer.alloc(30);
      local.writeUInt32LE(0x04034b50, 0);
      local.writeUInt16LE(20, 4);
      local.writeUInt16LE(UTF8_NAMES, 6);
      local.writeUInt16LE(0, 8);
      local.writeUInt16LE(0, 10);
      local.writeUInt16LE(DOS_DATE, 12);
      local.writeUInt32LE(crc, 14);
      local.writeUInt32LE(data.length, 18);
      local.writeUInt32LE(data.length, 22);
      local.writeUInt16LE(nameBytes.length, 26);
      local.writeUInt16LE(0, 28);
      const at = offset;
      const zip64 = at >= MAX32;
      const entry = Buffer.alloc(46 + nameBytes.length + (zip64 ? 12 : 0));
      entry.writeUInt32LE(0x02014b50, 0);
      entry.writeUInt16LE((3 << 8) | 45, 4);
      entry.writeUInt16LE(zip64 ? 45 : 20, 6);
      entry.writeUInt16LE(UTF8_NAMES, 8);
      entry.writeUInt16LE(0, 10);
      entry.writeUInt16LE(0, 12);
      entry.writeUInt16LE(DOS_DATE, 14);
      entry.writeUInt32LE(crc, 16);
      entry.writeUInt32LE(data.length, 20);
      entry.writeUInt32LE(data.length, 24);
      entry.writeUInt16LE(nameBytes.length, 28);
      entry.writeUInt16LE(zip64 ? 12 : 0, 30);
      entry.writeUInt32LE((0o100644 << 16) >>> 0, 38);
      entry.writeUInt32LE(zip64 ? MAX32 : at, 42);
      nameBytes.copy(entry, 46);
      if (zip64) {
        entry.writeUInt16LE(1, 46 + nameBytes.length);
        entry.writeUInt16LE(8, 48 + nameBytes.length);
        entry.writeBigUInt64LE(BigInt(at), 50 + nameBytes.length);
      }
      central.push(entry);
      count += 1;
      await write(Buffer.concat([local, nameBytes]));
      if (data.length) await write(data);
      return createHash("sha256").update(data).digest("hex");
    },

    async finish() {
      const cdOffset = offset;
      const cd = Buffer.concat(central);
      await write(cd);
      const needs64 = count >= 0xffff || cdOffset >= MAX32 || cd.length >= MAX32;
      if (needs64) {
        const record = Buffer.alloc(56);
        record.writeUInt32LE(0x06064b50, 0);
        record.writeBigUInt64LE(44n, 4);
        record.writeUInt16LE((3 << 8) | 45, 12);
        record.writeUInt16LE(45, 14);
        record.writeBigUInt64LE(BigInt(count), 24);
        record.writeBigUInt64LE(BigInt(count), 32);
        record.writeBigUInt64LE(BigInt(cd.length), 40);
        record.writeBigUInt64LE(BigInt(cdOffset), 48);
        const locator = Buffer.alloc(20);
        locator.writeUInt32LE(0x07064b50, 0);
        locator.writeBigUInt64LE(BigInt(offset), 8);
        locator.writeUInt32LE(1, 16);
        await write(Buffer.concat([record, locator]));
      }
      const end = Buffer.alloc(22);
      end.writeUInt32LE(0x06054b50, 0);
      end.writeUInt16LE(needs64 ? 0xffff : count, 8);
      end.writeUInt16LE(needs64 ? 0xffff : count, 10);
      end.writeUInt32LE(needs64 ? MAX32 : cd.length, 12);
      end.writeUInt32LE(needs64 ? MAX32 : cdOffset, 16);
      await write(end);
      return { bytes: offset, sha256: whole.digest("hex") };
    },
  };
}
