import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openEmbeddedDatabase, type TEmbeddedDatabase } from "@/lib/db/open-embedded-database";

// The embedded database is one PGlite session shared by every connection of the process (app,
// dispatcher, ledger loop, worker). Each client must get its own answers however their queries
// interleave, and a transaction must not see another connection's statements.

describe("the embedded database shared by several connections", () => {
  const dir = mkdtempSync(join(tmpdir(), "custody-embedded-"));
  let database: TEmbeddedDatabase;
  let pool: pg.Pool;
  beforeAll(async () => {
    database = await openEmbeddedDatabase(dir);
    pool = new pg.Pool({ connectionString: database.url, max: 8 });
    await pool.query("CREATE TABLE item (n int PRIMARY KEY, who text NOT NULL)");
  });
  afterAll(async () => {
    await pool?.end();
    await database?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("answers each client's parameterized queries with its own rows when eight clients run at once", async () => {
    const clients = await Promise.all(Array.from({ length: 8 }, () => pool.connect()));
    try {
      const answers = await Promise.all(
        clients.map(async (client, c) => {
          const wrong: string[] = [];
          for (let i = 0; i < 60; i++) {
            // Different statement shapes and parameter counts, so a Bind reaching another client's Parse fails loudly.
            const n = c * 1000 + i;
            const { rows } =
              i % 2 === 0
                ? await client.query<{ n: number }>("SELECT $1::int AS n", [n])
                : await client.query<{ n: number; tag: string }>("SELECT $1::int AS n, $2::text AS tag, $3::int AS extra", [n, `c${c}`, i]);
            if (rows.length !== 1 || rows[0]!.n !== n) wrong.push(`client ${c} asked ${n}, got ${JSON.stringify(rows)}`);
          }
          return wrong;
        }),
      );
      expect(answers.flat()).toEqual([]);
    } finally {
      for (const client of clients) client.release();
    }
  });

  it("keeps a transaction's statements together while other clients query, and a rollback undoes only its own", async () => {
    const tx = await pool.connect();
    try {
      await tx.query("BEGIN");
      await tx.query("INSERT INTO item (n, who) VALUES ($1, $2)", [1, "rolled-back"]);
      const others = Promise.all(Array.from({ length: 6 }, (_, k) => pool.query("INSERT INTO item (n, who) VALUES ($1, $2)", [100 + k, "committed"])));
      await tx.query("INSERT INTO item (n, who) VALUES ($1, $2)", [2, "rolled-back"]);
      await tx.query("ROLLBACK");
      await others;
    } finally {
      tx.release();
    }
    const { rows } = await pool.query<{ who: string; count: number }>("SELECT who, count(*)::int AS count FROM item GROUP BY who ORDER BY who");
    expect(rows).toEqual([{ who: "committed", count: 6 }]);
  });
});
