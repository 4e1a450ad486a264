import "server-only";
import { rateLimitDelay } from "./rate-limit-delay.ts";

export type TApiRequestHooks = {
  /** Called once per HTTP request sent (429s and retries included): counted into the run's progress. */
  onRequest?: (url: string, status: number) => void;
  /** Test seam: how to wait; production sleeps. */
  sleep?: (ms: number) => Promise<void>;
};

const RETRIES = 6;
const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class ApiRequestError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
  }
}

/**
 * One GET against a vendor REST API that honours its rate limits: waits out a 429 (Retry-After or
 * RateLimit-Reset) and retries, pauses before the next call when RateLimit-Remaining reaches 0,
 * retries 502/503/504 and network errors with a short backoff, and throws ApiRequestError for
 * anything else (401, 403, 404, 4xx) or after RETRIES attempts. The token only goes in the header.
 */
export async function apiRequest(url: string, init: RequestInit & { timeoutMs: number }, hooks: TApiRequestHooks = {}): Promise<Response> {
  const sleep = hooks.sleep ?? defaultSleep;
  let last = "";
  for (let attempt = 0; attempt < RETRIES; attempt += 1) {
    let response: Response;
    try {
      response = await fetch(url, { ...init, signal: AbortSignal.timeout(init.timeoutMs), redirect: "error" });
    } catch (error) {
      last = (error as Error).message;
      hooks.onRequest?.(url, 0);
      await sleep(500 * 2 ** attempt);
      continue;
    }
    hooks.onRequest?.(url, response.status);
    const wait = rateLimitDelay(response.status, response.headers);
    if (response.status === 429) {
      await response.body?.cancel();
      last = "429 Too Many Requests";
      await sleep(wait);
      continue;
    }
    if (response.status >= 502 && response.status <= 504) {
      await response.body?.cancel();
      last = `${response.status}`;
      await sleep(500 * 2 ** attempt);
      continue;
    }
    if (!response.ok) {
      const text = (await response.text().catch(() => "")).slice(0, 300);
      throw new ApiRequestError(`${init.method ?? "GET"} ${new URL(url).pathname} answered ${response.status}${text ? `: ${text}` : ""}`, response.status);
    }
    if (wait > 0) {
      // Read the body first, then wait, so the next request starts after the window resets.
      const body = await response.arrayBuffer();
      await sleep(wait);
      return new Response(body, { status: response.status, headers: response.headers });
    }
    return response;
  }
  throw new ApiRequestError(`GET ${new URL(url).pathname} failed after ${RETRIES} attempts (last: ${last})`, null);
}
