// Open-model (fixed arrival rate) HTTP load: request i is due at start + i/rate whether or not
// earlier requests have been answered, so a slow server cannot slow the arrivals down (no
// coordinated omission). Latency is measured from the due time; `serviceMs` (from the moment a
// socket was assigned) is kept too. Connections are a keep-alive pool; when all are busy, requests
// wait in the agent's queue and that wait counts in the latency, as it would for a real sender.
import http from "node:http";
import { nowMs } from "./stats.ts";

export type TOpenRequest<T> = { path: string; headers: Record<string, string>; body: Buffer; tag: T };
export type TOpenResult<T> = {
  tag: T;
  index: number;
  dueAt: number;
  socketAt: number;
  doneAt: number;
  status: number;
  body: string;
  error: string | null;
};
export type TOpenRun<T> = { results: TOpenResult<T>[]; startedAt: number; lastDueAt: number; finishedAt: number; maxLateMs: number };

export async function runOpenLoop<T>(options: {
  host: string;
  port: number;
  rate: number;
  seconds: number;
  connections: number;
  timeoutMs?: number;
  keepBody?: boolean;
  build: (index: number) => TOpenRequest<T>;
  onResult?: (result: TOpenResult<T>) => void;
  shouldStop?: () => boolean;
}): Promise<TOpenRun<T>> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections, maxFreeSockets: options.connections });
  const total = Math.max(1, Math.round(options.rate * options.seconds));
  const interval = 1000 / options.rate;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const results: TOpenResult<T>[] = [];
  const pending = new Set<Promise<void>>();
  const startedAt = nowMs() + 20;
  let maxLateMs = 0;

  const fire = (index: number, dueAt: number) => {
    const request = options.build(index);
    let socketAt = Number.NaN;
    const done = new Promise<void>((resolve) => {
      let settled = false;
      const finish = (status: number, body: string, error: string | null) => {
        if (settled) return;
        settled = true;
        const result: TOpenResult<T> = { tag: request.tag, index, dueAt, socketAt, doneAt: nowMs(), status, body, error };
        results.push(result);
        options.onResult?.(result);
        resolve();
      };
      const req = http.request(
        {
          host: options.host,
          port: options.port,
          method: "POST",
          path: request.path,
          agent,
          headers: { ...request.headers, "content-length": String(request.body.length) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => {
            if (options.keepBody) chunks.push(chunk);
          });
          res.on("end", () => finish(res.statusCode ?? 0, options.keepBody ? Buffer.concat(chunks).toString("utf8") : "", null));
          res.on("error", (error) => finish(0, "", error.message));
        },
      );
      req.on("socket", () => {
        socketAt = nowMs();
      });
      req.setTimeout(timeoutMs, () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)));
      req.on("error", (error) => finish(0, "", error.message));
      req.end(request.body);
    });
    pending.add(done);
    void done.then(() => pending.delete(done));
  };

  let next = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = nowMs();
      while (next < total && startedAt + next * interval <= now) {
        const dueAt = startedAt + next * interval;
        maxLateMs = Math.max(maxLateMs, now - dueAt);
        fire(next, dueAt);
        next += 1;
      }
      if (next >= total || options.shouldStop?.()) return resolve();
      const wait = startedAt + next * interval - nowMs();
      setTimeout(tick, Math.max(0, Math.floor(wait)));
    };
    setTimeout(tick, 20);
  });
  const lastDueAt = startedAt + (next - 1) * interval;
  await Promise.all([...pending]);
  agent.destroy();
  return { results: results.sort((a, b) => a.index - b.index), startedAt, lastDueAt, finishedAt: nowMs(), maxLateMs };
}
