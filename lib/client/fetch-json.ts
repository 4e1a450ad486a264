import type { z } from "zod";
import { csrfHeader } from "@/lib/contracts/csrf";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Calls Custody's own API from the browser: JSON in and out, the anti-forgery header on every call,
 * problem+json errors raised as ApiError with their detail, answers checked against the contract.
 */
export async function fetchJson<S extends z.ZodType>(url: string, schema: S, init: { method?: string; body?: unknown } = {}): Promise<z.infer<S>> {
  const response = await fetch(url, {
    method: init.method ?? "GET",
    credentials: "same-origin",
    headers: { Accept: "application/json", [csrfHeader]: "1", ...(init.body !== undefined ? { "Content-Type": "application/json" } : {}) },
    body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
  });
  if (!response.ok) {
    const problem = (await response.json().catch(() => null)) as { detail?: string } | null;
    throw new ApiError(response.status, problem?.detail ?? `HTTP ${response.status}`);
  }
  if (response.status === 204) return schema.parse(undefined);
  return schema.parse(await response.json());
}
