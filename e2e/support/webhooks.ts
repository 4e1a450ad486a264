// Seeds end-to-end tests the way production gets its data: signed webhook deliveries posted to the
// running app (GitLab's shared token, Buildkite's HMAC signature), then processed by its own worker.
import { createHash, createHmac } from "node:crypto";
import { buildStory, buildStoryIds, type TStoryDelivery, type TStoryOptions } from "../../tests/fixtures/story.ts";
import { appUrl } from "./gitlab.ts";
import { webhookSecrets } from "./webhook-secrets.ts";

/** GitLab's delivery id, fixed per body: a test that runs again redelivers rather than duplicates. */
const deliveryId = (body: string) => createHash("sha256").update(body).digest("hex").replace(/^(.{8})(.{4})(.{3})(.{3})(.{12}).*$/, "$1-$2-4$3-8$4-$5");

export async function postDelivery(delivery: TStoryDelivery): Promise<void> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (delivery.source === "gitlab") {
    Object.assign(headers, { "x-gitlab-event": delivery.event, "x-gitlab-token": webhookSecrets.gitlabToken, "idempotency-key": deliveryId(delivery.body) });
  } else {
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = createHmac("sha256", webhookSecrets.buildkiteSigning).update(`${timestamp}.`).update(delivery.body).digest("hex");
    Object.assign(headers, { "x-buildkite-event": delivery.event, "x-buildkite-signature": `timestamp=${timestamp},signature=${signature}` });
  }
  const response = await fetch(`${appUrl}/api/webhooks/${delivery.source}`, { method: "POST", headers, body: delivery.body });
  if (![200, 202].includes(response.status)) throw new Error(`${delivery.source} ${delivery.event} was refused: ${response.status} ${await response.text()}`);
}

/** Posts one story (its own ids and SHAs per seed), optionally leaving some deliveries out. Returns its ids. */
export async function postStory(options: TStoryOptions & { skip?: (d: TStoryDelivery) => boolean } = {}) {
  const { skip, ...storyOptions } = options;
  for (const delivery of buildStory(storyOptions)) {
    if (!skip?.(delivery)) await postDelivery(delivery);
  }
  return buildStoryIds(storyOptions);
}
