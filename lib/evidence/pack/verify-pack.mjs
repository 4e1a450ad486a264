#!/usr/bin/env node
// Verifies a Custody evidence pack: `node verify-pack.mjs <pack.zip> [--key <public key PEM file | PEM | fingerprint>]`.
// This file is copied verbatim into every pack and is also what `npx custody verify` runs, so it
// uses nothing but Node.js built-ins (node:crypto, node:fs, node:zlib). The layout it checks is
// described in docs/evidence.md ("Evidence packs"). Exit code: 0 when every hash, proof and signature
// checks; 1 naming the first thing that does not; 2 for bad arguments.
import { createHash, createPublicKey, verify as verifySignature } from "node:crypto";
import { closeSync, fstatSync, openSync, readFileSync, readSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { crc32 } from "node:zlib";

export const packFormat = "custody-evidence-pack/v1";

class PackProblem extends Error {}
const fail = (problem) => {
  throw new PackProblem(problem);
};

// ----------------------------------------------------------------------------------------------
// RFC 8785 (JCS) canonical JSON, RFC 6962 hashing, checkpoint statements
// ----------------------------------------------------------------------------------------------

/** RFC 8785: keys sorted by UTF-16 code units, strings and numbers as ECMAScript JSON writes them. */
export function canonicalJson(value) {
  if (value === null || typeof value === "boolean" || typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError("JCS cannot represent a non-finite number");
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(",")}]`;
  if (typeof value === "object") {
    const keys = Object.keys(value).filter((k) => value[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(",")}}`;
  }
  throw new TypeError(`JCS cannot represent a ${typeof value}`);
}

const sha256 = (data) => createHash("sha256").update(data).digest();
const hashLeaf = (data) => createHash("sha256").update(Buffer.of(0)).update(data).digest();
const hashNode = (left, right) => createHash("sha256").update(Buffer.of(1)).update(left).update(right).digest();

/** RFC 9162 §2.1.3.2: true when `proof` leads from `leafHash` at `index` to `root` of a tree of `size` leaves. */
export function verifyInclusion(leafHash, index, size, proof, root) {
  if (!(index >= 0 && index < size)) return false;
  let fn = index;
  let sn = size - 1;
  let r = leafHash;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = hashNode(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = hashNode(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r.equals(root);
}

const statementPattern =
  /^custody-ledger-checkpoint\/v1\nnumber (0|[1-9]\d*)\ntree_size (0|[1-9]\d*)\nroot ([0-9a-f]{64})\ntime (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)\nprevious (-|[0-9a-f]{64})\nkey ([0-9a-f]{64})\n$/;

function parseStatement(text) {
  const m = statementPattern.exec(text);
  if (!m) return null;
  return { number: Number(m[1]), treeSize: Number(m[2]), root: Buffer.from(m[3], "hex"), time: m[4], previous: m[5], key: m[6] };
}

/** SHA-256 (hex) of the DER SubjectPublicKeyInfo, as `openssl pkey -pubin -outform DER | sha256sum` prints it. */
export function fingerprintOf(publicKey) {
  return sha256(publicKey.export({ type: "spki", format: "der" })).toString("hex");
}

// ----------------------------------------------------------------------------------------------
// ZIP (STORE only, the strict layout the exporter writes; ZIP64 end records when needed)
// ----------------------------------------------------------------------------------------------

/** Reads bytes from a Buffer or a file descriptor. */
function source(input) {
  if (Buffer.isBuffer(input) || input instanceof Uint8Array) {
    const buffer = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
    return { size: buffer.length, read: (position, length) => buffer.subarray(position, position + length), close() {} };
  }
  const fd = openSync(input, "r");
  const size = fstatSync(fd).size;
  return {
    size,
    read(position, length) {
      const out = Buffer.allocUnsafe(length);
      let done = 0;
      while (done < length) {
        const n = readSync(fd, out, done, length - done, position + done);
        if (n === 0) break;
        done += n;
      }
      return out.subarray(0, done);
    },
    close: () => closeSync(fd),
  };
}

const u64 = (b, at) => {
  const v = b.readBigUInt64LE(at);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) fail("zip: a ZIP64 field is out of range");
  return Number(v);
};

// The only header bytes a pack has: STORE, UTF-8 names, no time, no extra field but the ZIP64 offset.
// create-zip-writer.ts writes them with these same functions, and comparing whole headers makes
// every header byte count.
const DOS_DATE = 0x21;
export function localHeader(name, crc, size) {
  const nameBytes = Buffer.from(name, "utf8");
  const h = Buffer.alloc(30 + nameBytes.length);
  h.writeUInt32LE(0x04034b50, 0);
  h.writeUInt16LE(20, 4);
  h.writeUInt16LE(0x0800, 6);
  h.writeUInt16LE(DOS_DATE, 12);
  h.writeUInt32LE(crc, 14);
  h.writeUInt32LE(size, 18);
  h.writeUInt32LE(size, 22);
  h.writeUInt16LE(nameBytes.length, 26);
  nameBytes.copy(h, 30);
  return h;
}
export function centralEntry(name, crc, size, offset) {
  const nameBytes = Buffer.from(name, "utf8");
  const zip64 = offset >= 0xffffffff;
  const e = Buffer.alloc(46 + nameBytes.length + (zip64 ? 12 : 0));
  e.writeUInt32LE(0x02014b50, 0);
  e.writeUInt16LE((3 << 8) | 45, 4);
  e.writeUInt16LE(zip64 ? 45 : 20, 6);
  e.writeUInt16LE(0x0800, 8);
  e.writeUInt16LE(DOS_DATE, 14);
  e.writeUInt32LE(crc, 16);
  e.writeUInt32LE(size, 20);
  e.writeUInt32LE(size, 24);
  e.writeUInt16LE(nameBytes.length, 28);
  e.writeUInt16LE(zip64 ? 12 : 0, 30);
  e.writeUInt32LE((0o100644 << 16) >>> 0, 38);
  e.writeUInt32LE(zip64 ? 0xffffffff : offset, 42);
  nameBytes.copy(e, 46);
  if (zip64) {
    e.writeUInt16LE(1, 46 + nameBytes.length);
    e.writeUInt16LE(8, 48 + nameBytes.length);
    e.writeBigUInt64LE(BigInt(offset), 50 + nameBytes.length);
  }
  return e;
}

export function endRecords(count, cdSize, cdOffset) {
  const needs64 = count >= 0xffff || cdOffset >= 0xffffffff || cdSize >= 0xffffffff;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(needs64 ? 0xffff : count, 8);
  end.writeUInt16LE(needs64 ? 0xffff : count, 10);
  end.writeUInt32LE(needs64 ? 0xffffffff : cdSize, 12);
  end.writeUInt32LE(needs64 ? 0xffffffff : cdOffset, 16);
  if (!needs64) return end;
  const record = Buffer.alloc(56);
  record.writeUInt32LE(0x06064b50, 0);
  record.writeBigUInt64LE(44n, 4);
  record.writeUInt16LE((3 << 8) | 45, 12);
  record.writeUInt16LE(45, 14);
  record.writeBigUInt64LE(BigInt(count), 24);
  record.writeBigUInt64LE(BigInt(count), 32);
  record.writeBigUInt64LE(BigInt(cdSize), 40);
  record.writeBigUInt64LE(BigInt(cdOffset), 48);
  const locator = Buffer.alloc(20);
  locator.writeUInt32LE(0x07064b50, 0);
  locator.writeBigUInt64LE(BigInt(cdOffset + cdSize), 8);
  locator.writeUInt32LE(1, 16);
  return Buffer.concat([record, locator, end]);
}

/**
 * The central directory of a pack, checked to be exactly what the exporter writes: no comment, no
 * gaps or overlaps, entries in the order of their data, STORE, UTF-8 names, no duplicates.
 */
export function readZipDirectory(src) {
  if (src.size < 22) fail("zip: the file is too short to be a zip");
  const eocd = src.read(src.size - 22, 22);
  if (eocd.readUInt32LE(0) !== 0x06054b50) fail("zip: no end-of-central-directory record at the end of the file (truncated, or data appended)");
  let count = eocd.readUInt16LE(10);
  let cdSize = eocd.readUInt32LE(12);
  let cdOffset = eocd.readUInt32LE(16);
  let cdEnd = src.size - 22;
  if (eocd.readUInt16LE(4) !== 0 || eocd.readUInt16LE(6) !== 0 || eocd.readUInt16LE(8) !== count) fail("zip: multi-disk archives are not packs");
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    if (src.size < 22 + 20 + 56) fail("zip: ZIP64 records are missing");
    const locator = src.read(src.size - 22 - 20, 20);
    if (locator.readUInt32LE(0) !== 0x07064b50) fail("zip: the ZIP64 locator is missing");
    const at = u64(locator, 8);
    if (at !== src.size - 22 - 20 - 56) fail("zip: the ZIP64 end record is not where the locator says");
    const z = src.read(at, 56);
    if (z.readUInt32LE(0) !== 0x06064b50 || u64(z, 4) !== 44) fail("zip: the ZIP64 end record is malformed");
    count = u64(z, 32);
    cdSize = u64(z, 40);
    cdOffset = u64(z, 48);
    cdEnd = at;
  }
  if (cdOffset + cdSize !== cdEnd) fail("zip: the central directory does not end where the end record starts");
  const tail = endRecords(count, cdSize, cdOffset);
  if (tail.length !== src.size - cdEnd || !src.read(cdEnd, tail.length).equals(tail)) fail("zip: the end records are not the ones a pack has");
  const cd = src.read(cdOffset, cdSize);
  const entries = [];
  const names = new Set();
  let p = 0;
  let expectedOffset = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > cd.length || cd.readUInt32LE(p) !== 0x02014b50) fail(`zip: central directory entry ${i} is malformed`);
    const crc = cd.readUInt32LE(p + 16);
    const size = cd.readUInt32LE(p + 20);
    const nameLength = cd.readUInt16LE(p + 28);
    const extraLength = cd.readUInt16LE(p + 30);
    const name = cd.subarray(p + 46, p + 46 + nameLength).toString("utf8");
    let offset = cd.readUInt32LE(p + 42);
    if (offset === 0xffffffff && extraLength === 12) offset = u64(cd, p + 46 + nameLength + 4);
    const length = 46 + nameLength + extraLength;
    if (p + length > cd.length || !cd.subarray(p, p + length).equals(centralEntry(name, crc, size, offset))) {
      fail(`zip: ${name}: the central directory entry is not one a pack has (not stored, or changed)`);
    }
    if (!name || name.startsWith("/") || name.split("/").includes("..") || name.includes("\\")) fail(`zip: unsafe entry name ${JSON.stringify(name)}`);
    if (names.has(name)) fail(`zip: ${name} appears twice`);
    names.add(name);
    if (offset !== expectedOffset) fail(`zip: ${name} does not start where the previous entry ends (entries reordered, removed or inserted)`);
    const dataOffset = offset + 30 + Buffer.byteLength(name);
    expectedOffset = dataOffset + size;
    entries.push({ name, crc, size, offset, dataOffset });
    p += length;
  }
  if (p !== cd.length) fail("zip: the central directory has trailing bytes");
  if (expectedOffset !== cdOffset) fail("zip: bytes between the last entry and the central directory");
  return entries;
}

/** An entry's bytes, after checking its local header matches the central directory. */
function readEntry(src, entry) {
  const expected = localHeader(entry.name, entry.crc, entry.size);
  const bytes = src.read(entry.offset, expected.length + entry.size);
  if (!bytes.subarray(0, expected.length).equals(expected)) fail(`zip: ${entry.name}: the local header differs from the central directory`);
  const data = bytes.subarray(expected.length);
  if (data.length !== entry.size) fail(`zip: ${entry.name} is truncated`);
  return data;
}

/** Every entry of a zip with its bytes, in order (for tools and tests; the verifier streams instead). */
export function readZip(input) {
  const src = source(input);
  try {
    return readZipDirectory(src).map((entry) => ({ name: entry.name, data: Buffer.from(readEntry(src, entry)) }));
  } finally {
    src.close();
  }
}

// ----------------------------------------------------------------------------------------------
// The pack
// ----------------------------------------------------------------------------------------------

const hex64 = /^[0-9a-f]{64}$/;
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function parseJson(data, name) {
  try {
    return JSON.parse(data.toString("utf8"));
  } catch {
    return fail(`${name}: not valid JSON`);
  }
}

/** A pinned key: a 64-hex fingerprint, a PEM, or a file holding a PEM. Returns the fingerprint. */
export function readPinnedKey(value) {
  const text = value.trim();
  if (hex64.test(text.toLowerCase())) return text.toLowerCase();
  let pem = text;
  if (!text.includes("-----BEGIN")) pem = readFileSync(text, "utf8");
  const key = createPublicKey(pem);
  if (key.asymmetricKeyType !== "ed25519") throw new Error(`must be an Ed25519 key, not ${key.asymmetricKeyType}`);
  return fingerprintOf(key);
}

/**
 * Checks a pack (a path or its bytes) and returns `{ ok: true, fingerprint, manifest, deliveries,
 * checkpoints, files }` or `{ ok: false, problem, fingerprint }` naming the first thing that does not
 * check. `pinnedFingerprint` (from readPinnedKey) makes a pack signed by any other key fail.
 */
export function verifyPack(input, options = {}) {
  let fingerprint = null;
  let src;
  try {
    src = source(input);
  } catch (error) {
    return { ok: false, problem: `cannot read the pack: ${error.message}`, fingerprint };
  }
  try {
    const entries = readZipDirectory(src);
    const byName = new Map(entries.map((e) => [e.name, e]));
    const special = (name) => byName.get(name) ?? fail(`${name} is missing from the pack`);
    const manifestEntry = special("manifest.json");
    const sigEntry = special("manifest.sig");
    const keyEntry = special("public-key.pem");

    // Who signed it, and whether that is the key the auditor trusts.
    const keyBytes = readEntry(src, keyEntry);
    let publicKey;
    try {
      publicKey = createPublicKey(keyBytes.toString("utf8"));
    } catch {
      fail("public-key.pem: not a PEM public key");
    }
    if (publicKey.asymmetricKeyType !== "ed25519") fail(`public-key.pem: not an Ed25519 key (${publicKey.asymmetricKeyType})`);
    fingerprint = fingerprintOf(publicKey);
    if (options.pinnedFingerprint && options.pinnedFingerprint !== fingerprint) {
      fail(`public-key.pem: the pack is signed by key ${fingerprint}, not by the pinned key ${options.pinnedFingerprint}`);
    }
    const manifestBytes = readEntry(src, manifestEntry);
    const signature = readEntry(src, sigEntry);
    if (signature.length !== 64 || !verifySignature(null, manifestBytes, publicKey, signature)) {
      fail(`manifest.sig: the signature over manifest.json does not verify with public-key.pem (key ${fingerprint})`);
    }

    // The manifest: its file list is the pack, in order, then manifest.json and manifest.sig.
    const manifest = parseJson(manifestBytes, "manifest.json");
    if (manifest.format !== packFormat) fail(`manifest.json: format is ${JSON.stringify(manifest.format)}, this verifier reads ${packFormat}`);
    if (manifest.key?.fingerprint !== fingerprint) fail("manifest.json: names a different signing key than public-key.pem");
    if (!Array.isArray(manifest.files)) fail("manifest.json: files is missing");
    const expected = [...manifest.files.map((f) => f.path), "manifest.json", "manifest.sig"];
    for (let i = 0; i < Math.max(expected.length, entries.length); i++) {
      const want = expected[i];
      const have = entries[i]?.name;
      if (want === have) continue;
      if (want !== undefined && !byName.has(want)) fail(`${want} is listed in the manifest but missing from the pack`);
      if (have !== undefined && !expected.includes(have)) fail(`${have} is in the pack but not in the manifest`);
      fail(`entries are not in the manifest's order: position ${i} holds ${have}, the manifest lists ${want}`);
    }

    // Every file: hash and size as the manifest says; then what it claims.
    const checkpoints = new Map();
    const checkpointTexts = new Map();
    let pending = null;
    let deliveries = 0;
    const reports = [];
    for (const [i, file] of manifest.files.entries()) {
      const entry = entries[i];
      const data = readEntry(src, entry);
      const digest = sha256(data).toString("hex");
      if (typeof file.sha256 !== "string" || digest !== file.sha256 || data.length !== file.bytes) {
        fail(`${entry.name}: SHA-256 differs from the manifest (the file was changed)`);
      }
      if (crc32(data) >>> 0 !== entry.crc) fail(`zip: ${entry.name}: CRC-32 does not match`);
      const name = entry.name;
      let m;
      if ((m = /^checkpoints\/(\d+)\.txt$/.exec(name))) {
        checkpointTexts.set(m[1], data.toString("utf8"));
      } else if ((m = /^checkpoints\/(\d+)\.sig$/.exec(name))) {
        const text = checkpointTexts.get(m[1]) ?? fail(`${name}: comes without checkpoints/${m[1]}.txt before it`);
        const fields = parseStatement(text) ?? fail(`checkpoints/${m[1]}.txt: not a checkpoint statement`);
        if (String(fields.number) !== String(Number(m[1]))) fail(`checkpoints/${m[1]}.txt: holds checkpoint ${fields.number}`);
        if (fields.key !== fingerprint) fail(`checkpoints/${m[1]}.txt: signed by key ${fields.key}, not by the pack's key ${fingerprint}`);
        if (data.length !== 64 || !verifySignature(null, Buffer.from(text, "utf8"), publicKey, data)) fail(`${name}: the checkpoint signature does not verify`);
        checkpoints.set(fields.number, fields);
      } else if ((m = /^deliveries\/([0-9a-f-]{36})\.json$/.exec(name))) {
        if (pending) fail(`deliveries/${pending.id}.body is missing after its .json`);
        pending = { id: m[1], record: parseJson(data, name) };
      } else if ((m = /^deliveries\/([0-9a-f-]{36})\.body$/.exec(name))) {
        if (!pending || pending.id !== m[1]) fail(`${name}: comes without deliveries/${m[1]}.json before it`);
        checkDelivery(pending.id, pending.record, data, digest, checkpoints);
        pending = null;
        deliveries += 1;
      } else if (/^reports\//.test(name)) {
        reports.push(name);
      } else if (!["README.txt", "verify-pack.mjs", "public-key.pem"].includes(name)) {
        fail(`${name}: not a file a pack holds`);
      }
    }
    if (pending) fail(`deliveries/${pending.id}.body is missing after its .json`);
    const counts = manifest.counts ?? {};
    if (counts.deliveries !== deliveries) fail(`manifest.json: counts ${counts.deliveries} deliveries, the pack holds ${deliveries}`);
    if (counts.checkpoints !== checkpoints.size) fail(`manifest.json: counts ${counts.checkpoints} checkpoints, the pack holds ${checkpoints.size}`);
    if (counts.files !== manifest.files.length) fail(`manifest.json: counts ${counts.files} files, it lists ${manifest.files.length}`);
    return { ok: true, fingerprint, manifest, deliveries, checkpoints: checkpoints.size, files: entries.length, reports };
  } catch (error) {
    if (error instanceof PackProblem) return { ok: false, problem: error.message, fingerprint };
    return { ok: false, problem: `cannot read the pack: ${error.message}`, fingerprint };
  } finally {
    src.close();
  }
}

/** One delivery: its body is the one its leaf names, the leaf hashes to a leaf the signed tree holds. */
function checkDelivery(id, record, body, bodySha256, checkpoints) {
  const name = `deliveries/${id}.json`;
  const leaf = record?.leaf;
  if (!leaf || leaf.v !== 1 || leaf.kind !== "delivery" || leaf.id !== id || !uuid.test(id)) fail(`${name}: not a version-1 delivery leaf for ${id}`);
  if (leaf.bodyLength !== body.length || leaf.bodySha256 !== bodySha256) fail(`deliveries/${id}.body: the bytes are not the ones the ledger leaf names`);
  const checkpoint = checkpoints.get(record.checkpoint) ?? fail(`${name}: checkpoint ${record.checkpoint} is not in the pack`);
  if (!Number.isSafeInteger(record.seq) || !Array.isArray(record.proof) || !record.proof.every((p) => typeof p === "string" && hex64.test(p))) {
    fail(`${name}: seq or proof is malformed`);
  }
  if (record.leafHash !== undefined && typeof record.leafHash !== "string") fail(`${name}: leafHash is malformed`);
  if (record.treeSize !== undefined && record.treeSize !== checkpoint.treeSize) fail(`${name}: treeSize ${record.treeSize} is not checkpoint ${checkpoint.number}'s ${checkpoint.treeSize}`);
  const leafHash = hashLeaf(Buffer.from(canonicalJson(leaf), "utf8"));
  if (record.leafHash !== undefined && record.leafHash !== leafHash.toString("hex")) fail(`${name}: the leaf does not hash to the leafHash it states`);
  const proof = record.proof.map((p) => Buffer.from(p, "hex"));
  if (!verifyInclusion(leafHash, record.seq, checkpoint.treeSize, proof, checkpoint.root)) {
    fail(`${name}: the inclusion proof does not lead to the root of checkpoint ${checkpoint.number} (seq ${record.seq})`);
  }
}

const usage = "Usage: node verify-pack.mjs <pack.zip> [--key <public key PEM file | PEM | SHA-256 fingerprint>]";

/** The command line: prints the outcome and returns the exit code. */
export function runVerifyPack(args, out = console.log, err = console.error) {
  const files = [];
  let pinned = null;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--key") {
      const value = args[++i];
      if (!value) {
        err(`--key needs a value.\n${usage}`);
        return 2;
      }
      try {
        pinned = readPinnedKey(value);
      } catch (error) {
        err(`--key: ${error.code ?? error.message}\n${usage}`);
        return 2;
      }
    } else if (args[i] === "--help" || args[i] === "-h") {
      out(usage);
      return 0;
    } else files.push(args[i]);
  }
  if (files.length !== 1) {
    err(usage);
    return 2;
  }
  const result = verifyPack(files[0], { pinnedFingerprint: pinned });
  if (!result.ok) {
    err(`Evidence pack verification FAILED: ${result.problem}`);
    if (result.fingerprint) err(`Signing key fingerprint (SHA-256 of the public key): ${result.fingerprint}`);
    return 1;
  }
  const m = result.manifest;
  out(`Evidence pack OK: ${result.deliveries} deliveries, ${result.checkpoints} checkpoint${result.checkpoints === 1 ? "" : "s"}, ${result.files} files.`);
  out(`Period ${m.period?.from} to ${m.period?.to}${m.filters?.environment?.length ? `, environments ${m.filters.environment.join(", ")}` : ""}; exported ${m.exportedAt} by ${m.exportedBy?.label} (Custody ${m.custodyVersion}).`);
  out(`Signing key fingerprint: ${result.fingerprint}`);
  if (pinned) out("The key matches the pinned key.");
  else out("NOT PINNED: compare this fingerprint with the one in Custody's Settings, or pass --key to make any other key fail.");
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = runVerifyPack(process.argv.slice(2));
}
