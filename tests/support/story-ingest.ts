import type pg from "pg";
import type { TStoryDelivery } from "../fixtures/story.ts";
import { buildkiteRequest, gitlabRequest } from "./webhook-requests.ts";

/** A stable GitLab delivery id for the index-th delivery of a story, so a resend dedupes as GitLab's own would. */
export const storyDeliveryId = (index: number, series = "000") => `00000000-0000-4000-8${series}-${String(index).padStart(12, "0")}`;

/** Sends one story delivery through the real webhook route of its source (configure the webhook secrets first). */
export async function sendStoryDelivery(delivery: TStoryDelivery, gitlabDeliveryId: string): Promise<Response> {
  if (delivery.source === "gitlab") {
    const { POST } = await import("@/app/api/webhooks/gitlab/route");
    return POST(gitlabRequest(delivery.event, delivery.body, { id: gitlabDeliveryId }));
  }
  const { POST } = await import("@/app/api/webhooks/buildkite/route");
  return POST(buildkiteRequest(delivery.event, delivery.body));
}

/** Ids of the stored deliveries not processed yet, in the order the dispatcher hands them on. */
export async function pendingDeliveryIds(pool: pg.Pool): Promise<string[]> {
  const { rows } = await pool.query<{ id: string }>("SELECT id FROM delivery WHERE processing_state IN ('received', 'pending') ORDER BY received_at, id");
  return rows.map((row) => row.id);
}

/** Processes every stored delivery not processed yet, one at a time in arrival order, as a caught-up worker would. */
export async function processPending(pool: pg.Pool): Promise<void> {
  const { processDelivery } = await import("@/lib/ingest/process/process-delivery");
  for (const id of await pendingDeliveryIds(pool)) await processDelivery(pool, id);
}
