// The comparison receiver for the ingest benchmark: bare node:http + pg doing the same per-request
// work as POST /api/webhooks/buildkite — read the raw body (size-limited), verify
// X-Buildkite-Signature (HMAC-SHA256 over "<ts>." + body, constant-time compare, ±300 s window),
// check it is JSON, then INSERT … ON CONFLICT DO NOTHING the raw body, headers and SHA-256 with a
// pg.Pool of the same size as the app's, and answer 202 (200 for a duplicate).
// Not project code: it runs only as a child of bench/ingest.ts.
//
// Env: BASELINE_DATABASE_URL, BASELINE_PORT, BASELINE_SECRET, BASELINE_POOL_SIZE (default 10).
import http from "node:http";
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import pg from "pg";

const databaseUrl = process.env.BASELINE_DATABASE_URL;
const port = Number(process.env.BASELINE_PORT);
const secret = process.env.BASELINE_SECRET ?? "";
const poolSize = Number(process.env.BASELINE_POOL_SIZE ?? 10);
if (!databaseUrl || !port || !secret) {
  console.error("baseline-server: BASELINE_DATABASE_URL, BASELINE_PORT and BASELINE_SECRET are required");
  process.exit(2);
}

const MAX_BODY_BYTES = 5 * 1024 * 1024;
const TOLERANCE_SECONDS = 300;
const SIGNATURE_HEADER = /^timestamp=(0|[1-9][0-9]{0,11}),signature=([0-9a-f]{64})$/;

const pool = new pg.Pool({
  connectionString: databaseUrl,
  max: poolSize,
  connectionTimeoutMillis: 2_000,
  idleTimeoutMillis: 30_000,
  application_name: "custody-bench-baseline",
});
pool.on("error", () => {});

await pool.query(`CREATE TABLE IF NOT EXISTS bench_baseline_delivery (
  dedupe_key TEXT PRIMARY KEY,
  event_type TEXT NOT NULL,
  body BYTEA NOT NULL,
  headers JSONB NOT NULL,
  sha256 CHAR(64) NOT NULL,
  byte_length INTEGER NOT NULL,
  received_at TIMESTAMPTZ NOT NULL DEFAULT now()
)`);

function verify(header: string | undefined, body: Buffer): boolean {
  const match = header ? SIGNATURE_HEADER.exec(header) : null;
  const timestamp = match?.[1];
  const presented = match?.[2];
  if (timestamp === undefined || presented === undefined) return false;
  const expected = createHmac("sha256", secret).update(`${timestamp}.`).update(body).digest("hex");
  const a = Buffer.from(presented, "utf8");
  const b = Buffer.from(expected, "utf8");
  if (a.length !== b.length || !timingSafeEqual(a, b)) return false;
  const skew = Math.floor(Date.now() / 1000) - Number(timestamp);
  return Math.abs(skew) <= TOLERANCE_SECONDS;
}

function reply(res: http.ServerResponse, status: number, body: Record<string, unknown>): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  if (req.method === "GET" && req.url === "/health") return reply(res, 200, { status: "ok" });
  if (req.method !== "POST" || req.url !== "/api/webhooks/buildkite") return reply(res, 404, { status: "not found" });
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return reply(res, 413, { status: "too large" });
    chunks.push(chunk);
  }
  const body = Buffer.concat(chunks, size);
  const signature = req.headers["x-buildkite-signature"];
  if (!verify(typeof signature === "string" ? signature : undefined, body)) return reply(res, 401, { status: "unauthorized" });
  try {
    JSON.parse(body.toString("utf8"));
  } catch {
    return reply(res, 400, { status: "not json" });
  }
  const eventType = String(req.headers["x-buildkite-event"] ?? "unknown").slice(0, 200);
  const sha256 = createHash("sha256").update(body).digest("hex");
  const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => name !== "x-buildkite-signature"));
  try {
    const { rowCount } = await pool.query(
      `INSERT INTO bench_baseline_delivery (dedupe_key, event_type, body, headers, sha256, byte_length)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (dedupe_key) DO NOTHING`,
      [`${eventType}:${sha256}`, eventType, body, JSON.stringify(headers), sha256, body.length],
    );
    reply(res, rowCount ? 202 : 200, { status: rowCount ? "stored" : "duplicate" });
  } catch (error) {
    reply(res, 503, { status: "unavailable", detail: (error as Error).message });
  }
}

const server = http.createServer((req, res) => {
  handle(req, res).catch((error: unknown) => {
    if (!res.headersSent) reply(res, 500, { status: "error", detail: (error as Error).message });
  });
});
server.listen(port, "127.0.0.1", () => console.log(`baseline listening on 127.0.0.1:${port} (pool ${poolSize})`));

const stop = () => {
  server.close();
  void pool.end().finally(() => process.exit(0));
};
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
