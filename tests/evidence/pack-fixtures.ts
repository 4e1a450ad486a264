import { sign } from "node:crypto";
import { PassThrough } from "node:stream";
import type { TSigningKey } from "@/lib/evidence/read-signing-key";
import { createZipWriter } from "@/lib/evidence/pack/create-zip-writer";
import { readZip, type TPackManifest } from "@/lib/evidence/pack/verify-pack.mjs";

export type TEntry = { name: string; data: Buffer };

/** Writes entries as a pack zip, in the given order (what someone rebuilding a pack by hand would do). */
export async function writeZip(entries: TEntry[]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const out = new PassThrough();
  out.on("data", (chunk: Buffer) => chunks.push(chunk));
  const zip = createZipWriter(out);
  for (const entry of entries) await zip.add(entry.name, entry.data);
  await zip.finish();
  out.end();
  return Buffer.concat(chunks);
}

export const entriesOf = (pack: Buffer): TEntry[] => readZip(pack);

/**
 * Recomputes the manifest of `entries` and signs it with `key`, putting that key's public half in
 * public-key.pem; with `checkpoints`, also re-signs every checkpoint statement naming the new key.
 */
export async function resign(entries: TEntry[], key: TSigningKey, options: { checkpoints?: boolean } = {}): Promise<Buffer> {
  const files = entries.filter((e) => e.name !== "manifest.json" && e.name !== "manifest.sig");
  const manifest = JSON.parse(entries.find((e) => e.name === "manifest.json")!.data.toString("utf8")) as TPackManifest;
  const texts = new Map<string, string>();
  const out = files.map((e) => {
    if (e.name === "public-key.pem") return { name: e.name, data: Buffer.from(key.publicKeyPem) };
    if (options.checkpoints && e.name.startsWith("checkpoints/") && e.name.endsWith(".txt")) {
      const text = e.data.toString("utf8").replace(/\nkey [0-9a-f]{64}\n/, `\nkey ${key.fingerprint}\n`);
      texts.set(e.name.replace(/\.txt$/, ".sig"), text);
      return { name: e.name, data: Buffer.from(text) };
    }
    if (texts.has(e.name)) return { name: e.name, data: sign(null, Buffer.from(texts.get(e.name)!), key.privateKey) };
    return e;
  });
  const { createHash } = await import("node:crypto");
  manifest.key.fingerprint = key.fingerprint;
  manifest.files = out.map((e) => ({ path: e.name, bytes: e.data.length, sha256: createHash("sha256").update(e.data).digest("hex") }));
  manifest.counts.files = manifest.files.length;
  const manifestBytes = Buffer.from(JSON.stringify(manifest, null, 1) + "\n");
  return writeZip([...out, { name: "manifest.json", data: manifestBytes }, { name: "manifest.sig", data: sign(null, manifestBytes, key.privateKey) }]);
}

/** Runs the exporter into memory. */
export async function collectPack(run: (out: PassThrough) => Promise<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const out = new PassThrough();
  out.on("data", (chunk: Buffer) => chunks.push(chunk));
  await run(out);
  out.end();
  return Buffer.concat(chunks);
}
