// The slice of autocannon 8's programmatic API the ingest benchmark uses (the package ships no types).
declare module "autocannon" {
  export type TAutocannonRequest = {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    setupRequest?: (request: TAutocannonRequest, context: Record<string, unknown>) => TAutocannonRequest;
    onResponse?: (status: number, body: string, context: Record<string, unknown>, headers: Record<string, string>) => void;
  };
  export type TAutocannonOptions = {
    url: string;
    connections?: number;
    duration?: number;
    amount?: number;
    timeout?: number;
    pipelining?: number;
    overallRate?: number;
    method?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    requests?: TAutocannonRequest[];
  };
  export type THistogramStats = {
    average: number;
    mean: number;
    stddev: number;
    min: number;
    max: number;
    p50: number;
    p90: number;
    p97_5: number;
    p99: number;
    p99_9: number;
    total: number;
  };
  export type TAutocannonResult = {
    duration: number;
    start: Date;
    finish: Date;
    errors: number;
    timeouts: number;
    non2xx: number;
    resets: number;
    "1xx": number;
    "2xx": number;
    "3xx": number;
    "4xx": number;
    "5xx": number;
    statusCodeStats: Record<string, { count: number }>;
    latency: THistogramStats;
    requests: THistogramStats & { sent: number };
  };
  function autocannon(options: TAutocannonOptions): Promise<TAutocannonResult>;
  export default autocannon;
}
