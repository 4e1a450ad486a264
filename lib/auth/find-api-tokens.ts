import "server-only";
import { db } from "@/lib/db";
import type { TApiTokenSummary } from "@/lib/contracts/api-tokens";
import { toApiTokenSummary } from "./to-api-token-summary.ts";

/** Every API token, newest first (active, expired and revoked; a list of tokens stays small). */
export async function findApiTokens(): Promise<{ items: TApiTokenSummary[] }> {
  const rows = await db.apiToken.findMany({ orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: 1000 });
  const now = new Date();
  return { items: rows.map((row) => toApiTokenSummary(row, now)) };
}
