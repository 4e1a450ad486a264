// R8 of reliability.md §1.7: when the database cannot take a delivery, the sender gets 503 with
// Retry-After fast (well inside GitLab's 10 s timeout), and never a 2xx for something not stored.
// A file of its own because it points this process's database at a server that is not there.
import { createServer, type Server, type Socket } from "node:net";
import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import { freePort } from "../support/spawn-custody.ts";
import { buildkiteRequest, configureWebhookSecrets, gitlabRequest } from "../support/webhook-requests.ts";

process.env.DATABASE_URL = "postgresql://postgres@127.0.0.1:1/none";
configureWebhookSecrets();
const { POST: postGitlab } = await import("@/app/api/webhooks/gitlab/route");
const { POST: postBuildkite } = await import("@/app/api/webhooks/buildkite/route");
const { closeDb } = await import("@/lib/db");
const { resetEnvCache } = await import("@/lib/env");

type TTimed = { status: number; retryAfter: string | null; ms: number };

async function timed(send: () => Promise<Response>): Promise<TTimed> {
  const started = performance.now();
  const response = await send();
  return { status: response.status, retryAfter: response.headers.get("retry-after"), ms: performance.now() - started };
}

const body = '{"object_kind":"push","ref":"refs/heads/main"}';
const sendGitlab = () => postGitlab(gitlabRequest("Push Hook", body));
const sendBuildkite = () => postBuildkite(buildkiteRequest("build.finished", body));

function expectFast503(answers: TTimed[]): void {
  for (const answer of answers) {
    expect(answer.status).toBe(503);
    expect(Number(answer.retryAfter)).toBeGreaterThan(0);
    expect(answer.ms).toBeLessThan(3_000);
  }
}

afterAll(async () => closeDb());

describe("a delivery while the database is down", () => {
  it("with nothing listening on the database port, a signed delivery gets 503 with Retry-After in under 3 s", async () => {
    expectFast503([await timed(sendGitlab), await timed(sendBuildkite)]);
  });

  describe("with a database host that accepts connections and never answers", () => {
    let silent: Server;
    const sockets = new Set<Socket>();

    afterAll(async () => {
      await closeDb();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    });

    it("ten concurrent signed deliveries each get 503 with Retry-After in under 3 s, none 2xx", async () => {
      const port = await freePort();
      silent = createServer((socket) => {
        sockets.add(socket);
        socket.on("error", () => {});
      });
      await new Promise<void>((resolve) => silent.listen(port, "127.0.0.1", resolve));
      await closeDb();
      process.env.DATABASE_URL = `postgresql://postgres@127.0.0.1:${port}/none`;
      resetEnvCache();

      const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => timed(i % 2 ? sendGitlab : sendBuildkite)));
      expect(sockets.size).toBeGreaterThan(0);
      expectFast503(answers);
    });
  });

  describe("with the database up but the delivery table locked by another session (a long migration)", () => {
    const holder = new pg.Client({ connectionString: inject("databaseUrl") });

    afterAll(async () => {
      await holder.query("ROLLBACK").catch(() => {});
      await holder.end().catch(() => {});
    });

    it("a signed delivery gets 503 with Retry-After in under 3 s instead of waiting on the lock, and its retry is stored once", async () => {
      await closeDb();
      process.env.DATABASE_URL = inject("databaseUrl");
      resetEnvCache();
      const unique = `{"object_kind":"push","ref":"refs/heads/locked-${Date.now()}"}`;
      const send = () => postBuildkite(buildkiteRequest("build.finished", unique));

      await holder.connect();
      await holder.query("BEGIN");
      await holder.query("LOCK TABLE delivery IN ACCESS EXCLUSIVE MODE");
      expectFast503([await timed(send)]);

      await holder.query("ROLLBACK");
      const retry = await send();
      expect([200, 202]).toContain(retry.status);
      const { rows } = await holder.query<{ n: number }>("SELECT count(*)::int AS n FROM delivery WHERE body = $1", [Buffer.from(unique)]);
      expect(rows[0]!.n).toBe(1);
    });
  });
});
