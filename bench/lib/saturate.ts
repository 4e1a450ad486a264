// Closed-model saturation: N keep-alive connections, each sending its next signed, unique delivery
// as soon as the previous answer arrives, for a fixed time. Throughput counts 2xx answers only.
import autocannon from "autocannon";
import { benchBody, benchHeaders } from "./payload.ts";

export type TSaturation = {
  connections: number;
  seconds: number;
  ok2xx: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  ratePerSecond: number;
  latencyMs: { p50: number; p99: number; max: number; mean: number };
  statusCodes: Record<string, number>;
};

let sequence = 0;

export async function saturate(options: { url: string; secret: string; runId: string; connections: number; seconds: number }): Promise<TSaturation> {
  const target = new URL(options.url);
  const result = await autocannon({
    url: target.origin,
    connections: options.connections,
    duration: options.seconds,
    timeout: 10,
    requests: [
      {
        method: "POST",
        path: target.pathname,
        setupRequest: (request) => {
          const body = benchBody((sequence += 1), options.runId);
          return { ...request, method: "POST", path: target.pathname, headers: benchHeaders(options.secret, body), body };
        },
      },
    ],
  });
  const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, stat]) => [code, stat.count]));
  return {
    connections: options.connections,
    seconds: result.duration,
    ok2xx: result["2xx"],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    ratePerSecond: Math.round((result["2xx"] / result.duration) * 10) / 10,
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max, mean: result.latency.mean },
    statusCodes,
  };
}
