import "server-only";

/** A Buildkite job as the REST API returns it inside a build (only the fields approvals read). */
export type TBuildkiteJob = {
  id: string;
  type?: string;
  state?: string | null;
  unblockable?: boolean | null;
  unblocked_by?: { id?: string; name?: string | null; email?: string | null } | null;
  unblocked_at?: string | null;
};
export type TBuildkiteBuild = { id?: string; number?: number; state?: string | null; blocked?: boolean | null; jobs?: TBuildkiteJob[] };

/**
 * Every way a Buildkite call can end. `kind` is what approvals branch on; `message` is Buildkite's own
 * text when it sent one. `timeout` and `network` mean the request may or may not have landed.
 */
export type TBuildkiteResult<T> =
  | { ok: true; status: number; body: T }
  | {
      ok: false;
      kind: "not-unblockable" | "invalid-unblocker" | "build-canceled" | "unprocessable" | "unauthorized" | "forbidden" | "not-found" | "rate-limited" | "server-error" | "timeout" | "network" | "bad-response";
      status: number | null;
      message: string | null;
      retryAfterSeconds: number | null;
    };

export type TBuildkiteClient = {
  getBuild(pipeline: string, number: number): Promise<TBuildkiteResult<TBuildkiteBuild>>;
  unblockJob(pipeline: string, number: number, jobId: string, body: { unblocker: string; fields?: Record<string, string> }): Promise<TBuildkiteResult<TBuildkiteJob>>;
  cancelBuild(pipeline: string, number: number): Promise<TBuildkiteResult<TBuildkiteBuild>>;
};

const seg = (value: string) => encodeURIComponent(value);

/**
 * A small Buildkite REST v2 client over fetch: `Authorization: Bearer`, JSON, one request per call (no
 * retries: the caller decides, because unblock must never be sent twice blindly), aborting after
 * `timeoutMs`. Never throws for HTTP or network failures; the token never appears in results.
 */
export function createBuildkiteClient(config: { apiUrl: string; token: string; org: string; timeoutMs: number }): TBuildkiteClient {
  const base = `${config.apiUrl.replace(/\/+$/, "")}/v2/organizations/${seg(config.org)}/pipelines`;

  async function call<T>(method: "GET" | "PUT", path: string, body?: unknown): Promise<TBuildkiteResult<T>> {
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${config.token}`, accept: "application/json", ...(body === undefined ? {} : { "content-type": "application/json" }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(config.timeoutMs),
        redirect: "error",
      });
    } catch (error) {
      const name = (error as Error).name;
      const kind = name === "TimeoutError" || name === "AbortError" ? "timeout" : "network";
      return { ok: false, kind, status: null, message: kind === "network" ? (error as Error).message.slice(0, 200) : null, retryAfterSeconds: null };
    }
    let text = "";
    try {
      text = await response.text();
    } catch {
      return { ok: false, kind: "timeout", status: response.status, message: null, retryAfterSeconds: null };
    }
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    if (response.ok) {
      if (json === null || typeof json !== "object") return { ok: false, kind: "bad-response", status: response.status, message: "the answer was not JSON", retryAfterSeconds: null };
      return { ok: true, status: response.status, body: json as T };
    }
    const message = json && typeof json === "object" && typeof (json as { message?: unknown }).message === "string" ? ((json as { message: string }).message.slice(0, 300)) : null;
    const retryAfter = Number(response.headers.get("retry-after") ?? response.headers.get("ratelimit-reset"));
    const retryAfterSeconds = Number.isFinite(retryAfter) && retryAfter > 0 ? Math.ceil(retryAfter) : null;
    const status = response.status;
    const kind =
      status === 400 ? "not-unblockable"
      : status === 401 ? "unauthorized"
      : status === 403 ? "forbidden"
      : status === 404 ? "not-found"
      : status === 429 ? "rate-limited"
      : status === 422 && /unblocker/i.test(message ?? "") ? "invalid-unblocker"
      : status === 422 && /cancel/i.test(message ?? "") ? "build-canceled"
      : status === 422 ? "unprocessable"
      : status >= 500 ? "server-error"
      : "bad-response";
    return { ok: false, kind, status, message, retryAfterSeconds: status === 429 ? (retryAfterSeconds ?? 60) : retryAfterSeconds };
  }

  return {
    getBuild: (pipeline, number) => call("GET", `/${seg(pipeline)}/builds/${number}`),
    unblockJob: (pipeline, number, jobId, body) => call("PUT", `/${seg(pipeline)}/builds/${number}/jobs/${seg(jobId)}/unblock`, body),
    cancelBuild: (pipeline, number) => call("PUT", `/${seg(pipeline)}/builds/${number}/cancel`),
  };
}
