import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { buildStory } from "../fixtures/story.ts";
import { configureWebhookSecrets } from "../support/webhook-requests.ts";
import { truncateAll } from "../support/graph-snapshot.ts";
import { processPending, sendStoryDelivery, storyDeliveryId } from "../support/story-ingest.ts";

configureWebhookSecrets();
const { getPool, closeDb } = await import("@/lib/db");
const { linkAccounts } = await import("@/lib/people/link-accounts");

const pool = getPool();

beforeEach(async () => truncateAll(pool));
afterAll(async () => {
  await truncateAll(pool);
  await closeDb();
});

describe("processing deliveries links people", () => {
  it("every GitLab user in the story becomes one person by user id; Buildkite users with no evidence stay unlinked", async () => {
    const story = buildStory();
    for (const [index, d] of story.entries()) {
      const response = await sendStoryDelivery(d, storyDeliveryId(index));
      expect([200, 202]).toContain(response.status);
    }
    await processPending(pool);
    // The worker runs the queued people-linking pass; here it is run directly.
    await linkAccounts(pool);

    const { rows } = await pool.query<{ system: string; external_id: string; person_id: string | null; link_method: string | null }>(
      "SELECT system, external_id, person_id, link_method FROM account ORDER BY system, external_id",
    );
    const gitlab = rows.filter((r) => r.system === "gitlab");
    expect(gitlab.length).toBeGreaterThan(0);
    expect(gitlab.every((r) => r.person_id && r.link_method === "gitlab_user_id")).toBe(true);
    expect(new Set(gitlab.map((r) => r.person_id)).size).toBe(gitlab.length);
    expect(rows.filter((r) => r.system === "buildkite").map((r) => r.person_id)).toEqual(rows.filter((r) => r.system === "buildkite").map(() => null));
    const { rows: people } = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM person");
    expect(people[0]!.n).toBe(gitlab.length);
  });
});
