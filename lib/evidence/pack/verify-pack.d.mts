// Types of verify-pack.mjs, which stays plain JavaScript so it can be copied into every pack.
import type { KeyObject } from "node:crypto";

export declare const packFormat: string;
export declare function canonicalJson(value: unknown): string;
export declare function verifyInclusion(leafHash: Buffer, index: number, size: number, proof: readonly Buffer[], root: Buffer): boolean;
export declare function fingerprintOf(publicKey: KeyObject): string;
/** A stored entry's local header, its name included. */
export declare function localHeader(name: string, crc: number, size: number): Buffer;
/** A stored entry's central directory record (with the ZIP64 offset when `offset` needs it). */
export declare function centralEntry(name: string, crc: number, size: number, offset: number): Buffer;
/** The records after the central directory: ZIP64 end record and locator when needed, then the end record. */
export declare function endRecords(count: number, cdSize: number, cdOffset: number): Buffer;
export declare function readZip(input: string | Uint8Array): { name: string; data: Buffer }[];
export declare function readPinnedKey(value: string): string;

export type TPackManifest = {
  format: string;
  custodyVersion: string;
  exportedAt: string;
  exportedBy: { type: string; id: string | null; label: string };
  auditEntryId: string;
  period: { from: string; to: string };
  filters: { environment: string[] };
  key: { fingerprint: string; file: string };
  checkpoints: { number: number; treeSize: number; root: string; statement: string; signature: string }[];
  /** deliveries = deliveriesReceivedInPeriod + deliveriesReportsRestOn (the latter received outside the period; absent in older packs). */
  counts: { files: number; deliveries: number; deliveriesReceivedInPeriod?: number; deliveriesReportsRestOn?: number; checkpoints: number; reports: number };
  files: { path: string; bytes: number; sha256: string }[];
};

export type TPackVerification =
  | { ok: true; fingerprint: string; manifest: TPackManifest; deliveries: number; checkpoints: number; files: number; reports: string[] }
  | { ok: false; problem: string; fingerprint: string | null };

export declare function verifyPack(input: string | Uint8Array, options?: { pinnedFingerprint?: string | null }): TPackVerification;
export declare function runVerifyPack(args: string[], out?: (line: string) => void, err?: (line: string) => void): number;
