import "server-only";
import { getPool } from "@/lib/db";
import type { TAuditAction } from "@/lib/contracts/audit";
import { logEvent } from "@/lib/shared/log-event";
import type { TAuditActor } from "./audit-actor.ts";
import { buildAuditTitle } from "./build-audit-title.ts";

export type TAuditInput = {
  actor: TAuditActor;
  action: TAuditAction;
  outcome?: "success" | "failure";
  target?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  details?: Record<string, unknown>;
};

/**
 * Appends one entry to Custody's audit trail and its `audit.<action>` row on the timeline, in one
 * statement (both or neither). Returns the entry id. Never pass secrets in `details`.
 */
export async function recordAuditEntry(input: TAuditInput): Promise<string> {
  const outcome = input.outcome ?? "success";
  const title = buildAuditTitle({ actorLabel: input.actor.label, action: input.action, outcome, target: input.target });
  const { rows } = await getPool().query<{ id: string }>(
    `WITH entry AS (
       INSERT INTO audit_entry (id, occurred_at, actor_type, actor_id, actor_label, action, outcome, target, ip, user_agent, details)
       VALUES (gen_random_uuid(), clock_timestamp(), $1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb)
       RETURNING id, occurred_at
     )
     INSERT INTO timeline_event (key, occurred_at, kind, source, actor, title, refs, entity_type, entity_id)
     SELECT 'audit:' || id::text, occurred_at, $10, 'custody', $3, $11, '{}', 'audit_entry', id::text FROM entry
     RETURNING entity_id AS id`,
    [
      input.actor.type,
      input.actor.id,
      input.actor.label.slice(0, 200),
      input.action,
      outcome,
      input.target?.slice(0, 500) ?? null,
      input.ip ?? null,
      input.userAgent ?? null,
      JSON.stringify(input.details ?? {}),
      `audit.${input.action}`,
      title,
    ],
  );
  logEvent("info", `audit.${input.action}`, { actor: input.actor.label, outcome, target: input.target ?? undefined, ip: input.ip ?? undefined });
  return rows[0]!.id;
}
