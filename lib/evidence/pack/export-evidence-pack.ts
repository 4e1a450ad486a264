import "server-only";
import { sign } from "node:crypto";
import type { Writable } from "node:stream";
import type pg from "pg";
import { getPool } from "@/lib/db";
import type { TAuditActor } from "@/lib/audit/audit-actor";
import { recordAuditEntry } from "@/lib/audit/record-audit-entry";
import type { TEvidencePackQuery } from "@/lib/contracts/evidence-pack";
import type { TReportQuery } from "@/lib/contracts/reports";
import { buildEvidenceKeysSql } from "@/lib/domain/build-evidence-keys-sql";
import { appendToLedger } from "@/lib/evidence/append-to-ledger";
import { buildDeliveryLeaf, deliveryLeafColumns, type TDeliveryLeafRow } from "@/lib/evidence/build-leaf";
import { createCheckpoint } from "@/lib/evidence/create-checkpoint";
import { getSigningKey, type TSigningKeyStatus } from "@/lib/evidence/get-signing-key";
import { hashLeaf } from "@/lib/evidence/merkle";
import { buildChangeManagementReport } from "@/lib/reports/build-change-management-report";
import { buildCompletenessReport } from "@/lib/reports/build-completeness-report";
import { buildCredentialsReport } from "@/lib/reports/build-credentials-report";
import type { TReport } from "@/lib/reports/report-types";
import { writeReportCsv } from "@/lib/reports/write-report-csv";
import { writeReportJson } from "@/lib/reports/write-report-json";
import { buildPackReadme } from "./build-pack-readme.ts";
import { buildProofTree } from "./build-proof-tree.ts";
import { createZipWriter } from "./create-zip-writer.ts";
import { EvidencePackError } from "./evidence-pack-error.ts";
import { readCustodyVersion } from "./read-custody-version.ts";
import { readVerifierSource } from "./read-verifier-source.ts";
import { packFormat, type TPackManifest } from "./verify-pack.mjs";

export type TPackActor = TAuditActor & { ip?: string | null; userAgent?: string | null };

const PAGE = 1000;

async function collect(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) parts.push(Buffer.from(chunk));
  return Buffer.concat(parts);
}

/**
 * Two readers of one pass over `rows`: each gets every row in order. Rows are held only while one
 * reader is ahead of the other; the source's end or failure reaches both.
 */
function teeRows<Row>(rows: AsyncIterable<Row>): [AsyncIterable<Row>, AsyncIterable<Row>] {
  const source = rows[Symbol.asyncIterator]();
  const queues: [Row[], Row[]] = [[], []];
  let ended = false;
  let failure: { error: unknown } | null = null;
  let pulling: Promise<void> | null = null;
  const pull = () =>
    (pulling ??= source
      .next()
      .then(
        (next) => {
          if (next.done) ended = true;
          else for (const queue of queues) queue.push(next.value);
        },
        (error: unknown) => {
          failure = { error };
        },
      )
      .finally(() => {
        pulling = null;
      }));
  const reader = (queue: Row[]): AsyncIterable<Row> => ({
    async *[Symbol.asyncIterator]() {
      for (;;) {
        if (queue.length) yield queue.shift()!;
        else if (failure) throw failure.error;
        else if (ended) return;
        else await pull();
      }
    },
  });
  return [reader(queues[0]), reader(queues[1])];
}

/** Why no pack can be signed now, or null when the signing key is usable. */
export function signingKeyProblem(key: TSigningKeyStatus = getSigningKey()): string | null {
  if (key.status === "ok") return null;
  return key.status === "missing"
    ? "Evidence packs are signed with the ledger's signing key, and none is configured: set CUSTODY_SIGNING_KEY (create one with `npx custody keygen`)."
    : `${key.message}. Evidence packs need a usable signing key.`;
}

/** The pack's download name: the period's first and last-exclusive days, in UTC. */
export function evidencePackFilename(from: string, to: string): string {
  const day = (iso: string) => new Date(iso).toISOString().slice(0, 10);
  return `custody-evidence-${day(from)}-${day(to)}.zip`;
}

/** Leaf hashes of seq 0..size-1, concatenated, read in pages by seq. */
async function readLeafHashes(pool: pg.Pool, size: number): Promise<Buffer> {
  const out = Buffer.allocUnsafe(size * 32);
  for (let from = 0; from < size; from += 50_000) {
    const { rows } = await pool.query<{ leaf_hash: Buffer }>("SELECT leaf_hash FROM ledger_entry WHERE seq >= $1 AND seq < $2 ORDER BY ledger_entry.seq", [
      from,
      Math.min(size, from + 50_000),
    ]);
    if (rows.length !== Math.min(size, from + 50_000) - from) throw new EvidencePackError("ledger-inconsistent", `the ledger has holes below seq ${Math.min(size, from + 50_000)}`);
    rows.forEach((row, i) => row.leaf_hash.copy(out, (from + i) * 32));
  }
  return out;
}

/**
 * The ledger seqs of the deliveries a pack holds, ascending: those received in [from, to), and those
 * a row of the change-management or credentials report rests on wherever they were received (a
 * deployment's receipt evidence, a credential's or role session's own deliveries), so a deployment
 * whose merge request was approved or whose pipeline ran before `from` comes with those deliveries.
 * One statement, set-based over the period's deployments (the receipt's own linking,
 * buildEvidenceKeysSql); `inPeriod` counts the first kind.
 */
async function findPackDeliverySeqs(pool: pg.Pool, params: TEvidencePackQuery): Promise<{ seqs: number[]; inPeriod: number }> {
  const environments = "(cardinality($3::text[]) = 0 OR x.environment = ANY($3::text[]))";
  const { rows } = await pool.query<{ seqs: string; in_period: number }>(
    `WITH period AS MATERIALIZED (
       SELECT l.seq FROM delivery d JOIN ledger_entry l ON l.kind = 'delivery' AND l.ref_id = d.id WHERE d.received_at >= $1 AND d.received_at < $2
     ),
     keys AS MATERIALIZED (
       SELECT key FROM (${buildEvidenceKeysSql(`SELECT * FROM deployment x WHERE x.occurred_at >= $1 AND x.occurred_at < $2 AND ${environments}`)}) k
       UNION SELECT x.key FROM credential x WHERE x.issued_at >= $1 AND x.issued_at < $2 AND ${environments}
       UNION SELECT 'role-session:aws:' || r.event_id FROM role_session r
             WHERE r.issued_at >= $1 AND r.issued_at < $2 AND (cardinality($3::text[]) = 0 OR (
               SELECT c.environment FROM credential c
               WHERE (r.job_external_id IS NOT NULL AND c.job_external_id = r.job_external_id) OR (r.subject IS NOT NULL AND c.subject = r.subject)
               ORDER BY (c.job_external_id = r.job_external_id) DESC NULLS LAST, c.issued_at DESC LIMIT 1) = ANY($3::text[]))
     ),
     rests AS MATERIALIZED (
       SELECT l.seq FROM ledger_entry l
       WHERE l.kind = 'delivery' AND l.ref_id IN (SELECT fe.delivery_id FROM fact_evidence fe WHERE fe.entity_id IN (SELECT key FROM keys))
     )
     SELECT (SELECT count(*) FROM period)::int AS in_period,
            coalesce((SELECT array_agg(seq ORDER BY seq) FROM (SELECT seq FROM period UNION SELECT seq FROM rests) s), '{}')::text AS seqs`,
    [params.from, params.to, params.environment],
  );
  const text = rows[0]!.seqs.slice(1, -1);
  return { seqs: text ? text.split(",").map(Number) : [], inPeriod: rows[0]!.in_period };
}

/**
 * Writes an evidence pack (a zip, docs/evidence.md "Evidence packs") for [from, to) to `out`:
 * README.txt, verify-pack.mjs, public-key.pem, the signed checkpoint the proofs lead to, the three
 * reports (CSV and JSON), the exact body, ledger leaf and inclusion proof of every delivery received
 * in the period or that a report row rests on (findPackDeliverySeqs), in ledger order, then
 * manifest.json (SHA-256 of every file) and its Ed25519 signature. First records the export in the
 * audit trail (so in the ledger), appends anything outstanding to the ledger and signs a fresh
 * checkpoint when the newest one does not cover the pack's deliveries.
 * Throws EvidencePackError("signing-key-required") before writing anything when no key is
 * configured. Streams: memory is the central directory, the proof tree (~64 bytes per ledger entry)
 * and one report at a time. `onProgress` is told deliveries written so far and the total.
 */
export async function exportEvidencePack(
  params: TEvidencePackQuery,
  actor: TPackActor,
  out: NodeJS.WritableStream | Writable,
  onProgress?: (done: number, total: number) => void,
  options: { pool?: pg.Pool; now?: () => Date } = {},
): Promise<{ bytes: number; sha256?: string }> {
  const pool = options.pool ?? getPool();
  const now = options.now ?? (() => new Date());
  const key = getSigningKey();
  if (key.status !== "ok") throw new EvidencePackError("signing-key-required", signingKeyProblem(key)!);
  const exportedAt = now().toISOString();
  const auditEntryId = await recordAuditEntry({
    actor: { type: actor.type, id: actor.id, label: actor.label },
    action: "export",
    target: "evidence pack",
    ip: actor.ip ?? null,
    userAgent: actor.userAgent ?? null,
    details: { from: params.from, to: params.to, environment: params.environment },
  });

  // Everything stored so far into the ledger, then a checkpoint that covers the pack's deliveries.
  while ((await appendToLedger(pool, { sweep: true })) > 0);
  const { seqs, inPeriod } = await findPackDeliverySeqs(pool, params);
  const total = seqs.length;
  const needed = total === 0 ? 0 : seqs[total - 1]! + 1;
  type TCheckpointRow = { number: string; tree_size: string; root_hash: Buffer; statement: string; signature: Buffer };
  const newest = async () =>
    (
      await pool.query<TCheckpointRow>(
        "SELECT number::text AS number, tree_size::text AS tree_size, root_hash, statement, signature FROM ledger_checkpoint ORDER BY ledger_checkpoint.number DESC LIMIT 1",
      )
    ).rows[0];
  let checkpoint = await newest();
  if (!checkpoint || Number(checkpoint.tree_size) < needed || !checkpoint.statement.includes(`\nkey ${key.fingerprint}\n`)) {
    await createCheckpoint(pool, key, { now: now() });
    checkpoint = await newest();
  }
  if (!checkpoint) throw new EvidencePackError("ledger-inconsistent", "no checkpoint could be written");
  const treeSize = Number(checkpoint.tree_size);
  const tree = buildProofTree(await readLeafHashes(pool, treeSize), treeSize);
  if (!tree.root.equals(checkpoint.root_hash)) {
    throw new EvidencePackError("ledger-inconsistent", `checkpoint ${checkpoint.number}: its root does not match the ledger entries (run \`npx custody ledger verify\`)`);
  }

  const zip = createZipWriter(out);
  const files: TPackManifest["files"] = [];
  const add = async (path: string, data: Buffer) => files.push({ path, bytes: data.length, sha256: await zip.add(path, data) });
  const number = checkpoint.number.padStart(6, "0");
  await add("README.txt", Buffer.from(buildPackReadme({ from: params.from, to: params.to, fingerprint: key.fingerprint, checkpoint: number }), "utf8"));
  await add("verify-pack.mjs", readVerifierSource());
  await add("public-key.pem", Buffer.from(key.publicKeyPem, "utf8"));
  await add(`checkpoints/${number}.txt`, Buffer.from(checkpoint.statement, "utf8"));
  await add(`checkpoints/${number}.sig`, checkpoint.signature);

  const reportQuery: TReportQuery = { ...params, format: "json" };
  const reports: (() => TReport<unknown>)[] = [
    () => buildChangeManagementReport(reportQuery) as TReport<unknown>,
    () => buildCredentialsReport(reportQuery) as TReport<unknown>,
    () => buildCompletenessReport(reportQuery) as TReport<unknown>,
  ];
  // Each report is read once and written as CSV and JSON side by side, so both files hold the same rows.
  for (const build of reports) {
    const report = build();
    const [forCsv, forJson] = teeRows(report.rows);
    const [csv, json] = await Promise.all([
      collect(writeReportCsv({ ...report, rows: forCsv })),
      collect(writeReportJson({ ...report, rows: forJson }, new Date(exportedAt))),
    ]);
    await add(`reports/${report.name}.csv`, csv);
    await add(`reports/${report.name}.json`, json);
  }

  // Deliveries in ledger order, a page at a time; each leaf is recomputed and must equal the one appended.
  let done = 0;
  onProgress?.(0, total);
  for (let at = 0; at < total; at += PAGE) {
    const page = seqs.slice(at, at + PAGE);
    const { rows } = await pool.query<TDeliveryLeafRow & { seq: string; leaf_hash: Buffer }>(
      `SELECT l.seq::text AS seq, l.leaf_hash, ${deliveryLeafColumns}
       FROM ledger_entry l JOIN delivery d ON d.id = l.ref_id
       WHERE l.kind = 'delivery' AND l.seq = ANY($1::bigint[])
       ORDER BY l.seq`,
      [page],
    );
    if (rows.length !== page.length) throw new EvidencePackError("ledger-inconsistent", `deliveries at ledger seqs ${page[0]}..${page.at(-1)} changed while the pack was written`);
    for (const row of rows) {
      const seq = Number(row.seq);
      const leafBytes = buildDeliveryLeaf(row);
      if (!hashLeaf(leafBytes).equals(row.leaf_hash)) {
        throw new EvidencePackError("ledger-inconsistent", `delivery ${row.id} (seq ${seq}) was changed after it was appended to the ledger`);
      }
      const record = {
        leaf: JSON.parse(leafBytes.toString("utf8")) as unknown,
        leafHash: row.leaf_hash.toString("hex"),
        seq,
        checkpoint: Number(checkpoint.number),
        treeSize,
        proof: tree.inclusionProof(seq).map((p) => p.toString("hex")),
      };
      await add(`deliveries/${row.id}.json`, Buffer.from(`${JSON.stringify(record, null, 1)}\n`, "utf8"));
      await add(`deliveries/${row.id}.body`, row.body);
      done += 1;
    }
    onProgress?.(done, total);
  }

  const manifest: TPackManifest = {
    format: packFormat,
    custodyVersion: readCustodyVersion(),
    exportedAt,
    exportedBy: { type: actor.type, id: actor.id, label: actor.label },
    auditEntryId,
    period: { from: params.from, to: params.to },
    filters: { environment: params.environment },
    key: { fingerprint: key.fingerprint, file: "public-key.pem" },
    checkpoints: [
      {
        number: Number(checkpoint.number),
        treeSize,
        root: checkpoint.root_hash.toString("hex"),
        statement: `checkpoints/${number}.txt`,
        signature: `checkpoints/${number}.sig`,
      },
    ],
    counts: { files: files.length, deliveries: done, deliveriesReceivedInPeriod: inPeriod, deliveriesReportsRestOn: done - inPeriod, checkpoints: 1, reports: reports.length * 2 },
    files,
  };
  const manifestBytes = Buffer.from(`${JSON.stringify(manifest, null, 1)}\n`, "utf8");
  await zip.add("manifest.json", manifestBytes);
  await zip.add("manifest.sig", sign(null, manifestBytes, key.privateKey));
  return zip.finish();
}
