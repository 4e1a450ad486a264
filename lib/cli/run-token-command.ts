import { closeDb } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";
import { ZApiTokenCreate } from "@/lib/contracts/api-tokens";
import { createApiToken } from "@/lib/auth/create-api-token";
import { findApiTokens } from "@/lib/auth/find-api-tokens";
import { revokeApiToken } from "@/lib/auth/revoke-api-token";
import { parseDuration } from "@/lib/shared/parse-duration";
import { cliActor } from "./cli-actor.ts";
import { openDatabase } from "./with-database.ts";
import { option } from "./read-option.ts";

const usage = `custody token create --role <viewer|auditor|approver|admin> --name <name> [--expires-in 90d|12h|never]
       custody token list
       custody token revoke <id or cst_ prefix>`;

/** `custody token create|list|revoke`: API tokens from the command line; creating and revoking are audited with actor "cli". */
export async function runTokenCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== "create" && sub !== "list" && sub !== "revoke") {
    console.error(`Usage: ${usage}`);
    return 2;
  }
  let input: { name: string; role: "viewer" | "auditor" | "approver" | "admin"; expiresIn: string } | undefined;
  if (sub === "create") {
    const parsed = ZApiTokenCreate.safeParse({ name: option(rest, "--name"), role: option(rest, "--role"), expiresIn: option(rest, "--expires-in") });
    if (!parsed.success) {
      console.error(`${parsed.error.issues.map((i) => `--${i.path.join(".").replace("expiresIn", "expires-in")}: ${i.message}`).join("\n")}\nUsage: ${usage}`);
      return 2;
    }
    input = parsed.data;
  }
  if (sub === "revoke" && !rest[0]) {
    console.error(`Usage: ${usage}`);
    return 2;
  }
  const database = await openDatabase();
  process.env.DATABASE_URL = database.url;
  resetEnvCache();
  try {
    const actor = cliActor();
    if (input) {
      const { token, summary } = await createApiToken({
        name: input.name,
        role: input.role,
        expiresInSeconds: input.expiresIn === "never" ? null : parseDuration(input.expiresIn),
        actor,
      });
      console.log(`Created API token "${summary.name}" (${summary.role}, ${summary.expiresAt ? `expires ${summary.expiresAt}` : "never expires"}, id ${summary.id}).`);
      console.log("Copy it now; it is not shown again:\n");
      console.log(token);
      return 0;
    }
    if (sub === "list") {
      const { items } = await findApiTokens();
      if (!items.length) console.log("No API tokens.");
      for (const t of items) {
        console.log([t.id, `${t.prefix}…`, t.role.padEnd(8), t.status.padEnd(7), `expires ${t.expiresAt ?? "never"}`, `last used ${t.lastUsedAt ?? "never"}`, t.name].join("  "));
      }
      return 0;
    }
    const revoked = await revokeApiToken({ idOrPrefix: rest[0]!, actor });
    if (!revoked) {
      console.error(`No API token matches "${rest[0]}".`);
      return 1;
    }
    console.log(`Revoked API token "${revoked.name}" (${revoked.prefix}…).`);
    return 0;
  } finally {
    await closeDb();
    await database.close();
  }
}
