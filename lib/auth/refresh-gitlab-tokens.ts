import "server-only";
import { z } from "zod";
import { getEnv } from "@/lib/env";

const ZTokenResponse = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  expires_in: z.coerce.number().int().positive().optional(),
});

export type TRefreshResult =
  | { status: "ok"; accessToken: string; refreshToken: string; expiresAt: Date | null }
  | { status: "refused" }
  | { status: "unavailable"; detail: string };

/**
 * Trades a refresh token for new tokens at {GITLAB_URL}/oauth/token (GitLab rotates refresh tokens, so
 * the old one is dead afterwards). "refused" means GitLab will not renew the grant (user blocked,
 * application revoked): the session must end.
 */
export async function refreshGitlabTokens(refreshToken: string): Promise<TRefreshResult> {
  const env = getEnv();
  const basic = Buffer.from(`${encodeURIComponent(env.GITLAB_CLIENT_ID ?? "")}:${encodeURIComponent(env.GITLAB_CLIENT_SECRET ?? "")}`).toString("base64");
  let response: Response;
  try {
    response = await fetch(`${env.GITLAB_URL}/oauth/token`, {
      method: "POST",
      headers: { Authorization: `Basic ${basic}`, "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
      body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: refreshToken }),
      signal: AbortSignal.timeout(5_000),
      cache: "no-store",
    });
  } catch (error) {
    return { status: "unavailable", detail: (error as Error).message };
  }
  if (response.status === 400 || response.status === 401) return { status: "refused" };
  if (!response.ok) return { status: "unavailable", detail: `HTTP ${response.status}` };
  const parsed = ZTokenResponse.safeParse(await response.json().catch(() => null));
  if (!parsed.success) return { status: "unavailable", detail: "token response is not in OAuth's shape" };
  return {
    status: "ok",
    accessToken: parsed.data.access_token,
    refreshToken: parsed.data.refresh_token ?? refreshToken,
    expiresAt: parsed.data.expires_in ? new Date(Date.now() + parsed.data.expires_in * 1000) : null,
  };
}
