import { closeDb, getPool } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";
import { findUnlinkedAccounts } from "@/lib/people/find-unlinked-accounts";
import { linkAccount } from "@/lib/people/link-account";
import { linkAccounts } from "@/lib/people/link-accounts";
import { unlinkAccount } from "@/lib/people/unlink-account";
import { cliActor } from "./cli-actor.ts";
import { openDatabase } from "./with-database.ts";
import { option } from "./read-option.ts";

const usage = `custody people list-unlinked
       custody people link <accountId> <personId|new> --reason <why>
       custody people unlink <accountId> --reason <why>
       custody people relink   (run the automatic linking pass now)`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `custody people …`: accounts without a person, and an admin's link/unlink (audited with actor "cli", a reason required). */
export async function runPeopleCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const reason = option(rest, "--reason")?.trim();
  const [accountId, personId] = rest.filter((arg, i) => !arg.startsWith("--") && rest[i - 1] !== "--reason");
  const valid =
    sub === "list-unlinked" ||
    sub === "relink" ||
    (sub === "link" && !!accountId && UUID.test(accountId) && !!personId && (personId === "new" || UUID.test(personId)) && !!reason) ||
    (sub === "unlink" && !!accountId && UUID.test(accountId) && !!reason);
  if (!valid) {
    console.error(`Usage: ${usage}`);
    return 2;
  }
  const database = await openDatabase();
  process.env.DATABASE_URL = database.url;
  resetEnvCache();
  try {
    if (sub === "list-unlinked") {
      const { items } = await findUnlinkedAccounts();
      if (!items.length) console.log("Every account belongs to a person.");
      for (const a of items) {
        console.log([a.id, a.system.padEnd(9), (a.username ?? a.externalId).padEnd(20), a.name ?? "", a.email ?? "", a.linkMethod === "admin_unlinked" ? "(unlinked by an admin)" : ""].join("  ").trimEnd());
      }
      return 0;
    }
    if (sub === "relink") {
      const result = await linkAccounts(getPool());
      console.log(`Linked ${result.gitlabLinked} GitLab and ${result.buildkiteLinked} Buildkite account(s).`);
      return 0;
    }
    const actor = cliActor();
    const outcome = sub === "link" ? await linkAccount(accountId!, personId!, { actor, reason: reason! }) : await unlinkAccount(accountId!, { actor, reason: reason! });
    if (!outcome.ok) {
      console.error(outcome.detail);
      return 1;
    }
    const a = outcome.account;
    console.log(sub === "link" ? `Linked ${a.system} account ${a.username ?? a.externalId} to person ${a.personId}.` : `Unlinked ${a.system} account ${a.username ?? a.externalId}.`);
    return 0;
  } finally {
    await closeDb();
    await database.close();
  }
}
