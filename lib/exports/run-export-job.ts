import "server-only";
import { createHash } from "node:crypto";
import { Writable } from "node:stream";
import type pg from "pg";
import { logEvent } from "@/lib/shared/log-event";
import type { TAuditActor } from "@/lib/audit/audit-actor";
import type { TAuditActorType } from "@/lib/contracts/audit";
import { exportKinds } from "./export-kinds.ts";
import type { TExportKind } from "./export-types.ts";

/** Result bytes are stored in rows of about this size. */
const CHUNK_BYTES = 1024 * 1024;
/** Progress is written at most this often while rows stream. */
const PROGRESS_MS = 500;

/** A Writable that stores what it is given as ordered `export_chunk` rows, hashing as it goes. */
function chunkSink(pool: pg.Pool, jobId: string) {
  const hash = createHash("sha256");
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let seq = 0;
  let size = 0;
  let inFlight: Promise<unknown> = Promise.resolve();
  const flush = () => {
    if (!pendingBytes) return Promise.resolve();
    const data = Buffer.concat(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    const insert = pool.query("INSERT INTO export_chunk (job_id, seq, data) VALUES ($1, $2, $3)", [jobId, seq++, data]).then(() => {});
    inFlight = insert.catch(() => {});
    return insert;
  };
  const sink = new Writable({
    highWaterMark: CHUNK_BYTES,
    write(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      size += chunk.byteLength;
      pending.push(chunk);
      pendingBytes += chunk.byteLength;
      if (pendingBytes < CHUNK_BYTES) return callback();
      flush().then(() => callback(), callback);
    },
    final(callback) {
      flush().then(() => callback(), callback);
    },
  });
  /** Stops taking bytes and waits for a chunk that is still being written. */
  const abort = async () => {
    sink.destroy();
    await inFlight;
  };
  return { sink, abort, result: () => ({ size, sha256: hash.digest("hex") }) };
}

/**
 * The worker's `run_export` task: runs one queued export job to `done` (result stored as chunks with
 * its size and SHA-256) or `failed` (with the error; stored chunks removed). Progress is written as
 * rows stream. A job that is `done` or `failed` is left alone, so a repeated task does nothing; one
 * left `running` by a worker that died is started over when the queue retries it. Also
 * deletes jobs whose retention has passed, with their results.
 */
export async function runExportJob(pool: pg.Pool, jobId: string): Promise<void> {
  await pool.query("DELETE FROM export_job WHERE expires_at <= now()");
  const { rows } = await pool.query<{ kind: string; params: unknown; requested_by: string; requester_type: TAuditActorType; requester_id: string | null }>(
    `UPDATE export_job SET state = 'running', started_at = now(), progress_done = 0 WHERE id = $1 AND state IN ('queued', 'running') RETURNING kind, params, requested_by, requester_type, requester_id`,
    [jobId],
  );
  const job = rows[0];
  if (!job) return;
  // Still `running` only when a worker died during an earlier attempt (the queue runs a job on one worker at a time): start over.
  await pool.query("DELETE FROM export_chunk WHERE job_id = $1", [jobId]);
  let lastWrite = 0;
  let progressWrite: Promise<unknown> = Promise.resolve();
  const onProgress = (done: number, total: number | null) => {
    const now = Date.now();
    if (now - lastWrite < PROGRESS_MS && done !== total) return;
    lastWrite = now;
    progressWrite = progressWrite.then(() =>
      pool.query("UPDATE export_job SET progress_done = $2, progress_total = $3 WHERE id = $1 AND state = 'running'", [jobId, done, total]).catch(() => {}),
    );
  };
  let abort = async () => {};
  try {
    const kind: TExportKind | undefined = exportKinds[job.kind];
    if (!kind) throw new Error(`unknown export kind "${job.kind}"`);
    const params = kind.params.parse(job.params);
    const actor: TAuditActor = { type: job.requester_type, id: job.requester_id, label: job.requested_by };
    const { sink, result, abort: abortSink } = chunkSink(pool, jobId);
    abort = abortSink;
    const finished = new Promise<void>((resolve, reject) => {
      sink.on("finish", resolve);
      sink.on("error", reject);
    });
    await kind.run(params, actor, sink, onProgress);
    await finished;
    await progressWrite;
    const { size, sha256 } = result();
    await pool.query(
      `UPDATE export_job SET state = 'done', finished_at = now(), result_size = $2, result_sha256 = $3, progress_total = coalesce(progress_total, progress_done) WHERE id = $1`,
      [jobId, size, sha256],
    );
  } catch (error) {
    const message = (error as Error).message || String(error);
    await abort();
    await progressWrite;
    await pool.query("DELETE FROM export_chunk WHERE job_id = $1", [jobId]);
    await pool.query("UPDATE export_job SET state = 'failed', finished_at = now(), error = $2 WHERE id = $1", [jobId, message.slice(0, 2000)]);
    logEvent("error", "export.failed", { exportId: jobId, kind: job.kind, error: message });
  }
}
