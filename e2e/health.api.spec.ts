import { expect, test } from "@playwright/test";

test("GET /api/health reports the Postgres database and the latest migration, publicly", async ({ request }) => {
  const response = await request.get("/api/health");
  expect(response.status()).toBe(200);
  const body = await response.json();
  expect(body).toEqual({ status: "ok", database: "postgres", migrations: expect.stringMatching(/^\d{14}_[a-z0-9_]+$/) });
  expect(response.headers()["x-content-type-options"]).toBe("nosniff");
  expect(response.headers()["x-powered-by"]).toBeUndefined();
});
