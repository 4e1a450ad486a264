import "server-only";
import { Gitlab } from "@gitbeaker/rest";
import { createRequesterFn, type RequestOptions } from "@gitbeaker/requester-utils";
import { apiRequest, type TApiRequestHooks } from "./api-request.ts";

export type TGitlabApi = InstanceType<typeof Gitlab<false>>;

/**
 * A @gitbeaker/rest client for GITLAB_URL whose requests go through `apiRequest`, so GitLab's
 * RateLimit-* headers and 429 Retry-After are honoured (gitbeaker's own retry does not wait for
 * them) and every request is counted. Responses keep GitLab's snake_case fields (no camelize).
 */
export function createGitlabApi(config: { url: string; token: string; timeoutMs: number }, hooks: TApiRequestHooks = {}): TGitlabApi {
  const requesterFn = createRequesterFn(
    (_, options) => Promise.resolve(options),
    async (endpoint: string, options?: Record<string, unknown>) => {
      const { prefixUrl, searchParams, method, headers, body } = (options ?? {}) as RequestOptions & { prefixUrl?: string; searchParams?: string };
      const base = prefixUrl ? (prefixUrl.endsWith("/") ? prefixUrl : `${prefixUrl}/`) : undefined;
      const url = new URL(endpoint, base);
      url.search = searchParams ?? "";
      const response = await apiRequest(
        url.toString(),
        { method: method ?? "GET", headers: headers as HeadersInit, body: body as BodyInit | undefined, timeoutMs: config.timeoutMs },
        hooks,
      );
      const text = await response.text();
      return {
        body: text ? JSON.parse(text) : null,
        headers: Object.fromEntries(response.headers.entries()),
        status: response.status,
      };
    },
  );
  return new Gitlab({ host: config.url, token: config.token, requesterFn, queryTimeout: config.timeoutMs });
}
