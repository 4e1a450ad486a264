import { normalizeBuildkiteDelivery } from "./buildkite/normalize-buildkite-delivery.ts";
import { normalizeCredentialsDelivery } from "./credentials/normalize-credentials-delivery.ts";
import { normalizeGitlabDelivery } from "./gitlab/normalize-gitlab-delivery.ts";
import type { TDeliveryInput, TNormalized } from "./types.ts";

/**
 * Pure: the same stored delivery always gives the same facts. Re-running it after a fix replaces the
 * delivery's facts. Bodies that are not JSON objects, or miss the ids an event needs, are "invalid";
 * events Custody does not use are "ignored". Both stay stored and can be re-processed.
 */
export function normalizeDelivery(delivery: TDeliveryInput): TNormalized {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(delivery.body).toString("utf8"));
  } catch (error) {
    return { status: "invalid", error: `body is not JSON: ${(error as Error).message}` };
  }
  const fallbackAt = delivery.receivedAt.toISOString();
  switch (delivery.source) {
    case "gitlab":
      return normalizeGitlabDelivery(delivery.eventType, json, fallbackAt, delivery.requestUrl ?? null);
    case "buildkite":
      return normalizeBuildkiteDelivery(delivery.eventType, json, fallbackAt);
    case "credentials":
      return normalizeCredentialsDelivery(json);
    default:
      return { status: "ignored", reason: `no normalizer for ${delivery.source}` };
  }
}
