import { keys } from "../keys.ts";
import { compact, date, email, id, str, type TObj } from "../fields.ts";
import type { TNormalized } from "../types.ts";

/** Member Hook (group membership; no actor) → the member's account and a timeline entry. */
export function normalizeMember(body: TObj, fallbackAt: string): TNormalized {
  const userId = id(body.user_id);
  if (!userId) return { status: "invalid", error: "Member Hook without user_id" };
  const at = date(body.updated_at) ?? date(body.created_at) ?? fallbackAt;
  const event = str(body.event_name) ?? "member";
  return {
    status: "processed",
    facts: [
      {
        type: "account",
        key: keys.gitlabUser(userId),
        at,
        rank: 0,
        data: compact({ system: "gitlab", externalId: userId, username: str(body.user_username), name: str(body.user_name), email: email(body.user_email) }),
      },
    ],
    timeline: [
      {
        kind: `member.${event}`,
        at,
        title: `${str(body.user_username) ?? userId}: ${event.replaceAll("_", " ")} ${str(body.group_path) ?? ""} (${str(body.group_access) ?? "?"})`.trim(),
        actorKey: keys.gitlabUser(userId),
        actor: str(body.user_username),
        refs: [...(str(body.group_path) ? [str(body.group_path)!] : [])],
      },
    ],
  };
}
