import type pg from "pg";
import type { TEntityType } from "../normalize/types.ts";
import { entitySpecs } from "./entity-specs.ts";
import { foldFacts, type TStoredFact } from "./fold-facts.ts";
import { resolveEntityKey } from "./resolve-entity-key.ts";

/**
 * Folds one entity from every fact stored about it (`facts`, all of them) and upserts its row.
 * Idempotent; the caller holds the entity's advisory lock so concurrent workers cannot interleave
 * folds of one entity. The row id is remembered in `cache` for later references.
 */
export async function writeEntity(
  client: pg.PoolClient,
  type: TEntityType,
  key: string,
  facts: TStoredFact[],
  cache: Map<string, string>,
): Promise<void> {
  const spec = entitySpecs[type];
  if (!facts.length) return;
  const folded = foldFacts(facts);
  const data = { ...folded, ...(spec.defaults?.(folded, key) ?? {}) };
  const columns: string[] = [];
  const values: unknown[] = [];
  for (const [field, column] of Object.entries(spec.columns)) {
    columns.push(column);
    const value = data[field] ?? null;
    values.push(spec.jsonColumns?.includes(column) && value !== null ? JSON.stringify(value) : value);
  }
  for (const [field, column] of Object.entries(spec.refs ?? {})) {
    const refKey = data[field];
    columns.push(column);
    values.push(typeof refKey === "string" ? await resolveEntityKey(client, refKey, cache) : null);
  }
  const hasId = type !== "approval" && type !== "mr_commit" && type !== "commit";
  const insertColumns = hasId ? ["id", ...columns] : columns;
  const placeholders = columns.map((_, i) => `$${i + 1}`);
  const insertValues = hasId ? ["gen_random_uuid()", ...placeholders] : placeholders;
  const updates = columns.filter((c) => !spec.conflict.includes(c)).map((c) => `"${c}" = EXCLUDED."${c}"`);
  const sql = `INSERT INTO "${spec.table}" (${insertColumns.map((c) => `"${c}"`).join(", ")}) VALUES (${insertValues.join(", ")})
    ON CONFLICT (${spec.conflict.map((c) => `"${c}"`).join(", ")}) DO ${updates.length ? `UPDATE SET ${updates.join(", ")}` : "NOTHING"}${hasId ? " RETURNING id" : ""}`;
  const result = await client.query<{ id: string }>(sql, values);
  const id = result.rows[0]?.id;
  if (id) cache.set(key, id);
}
