import type { TAccountRef } from "@/lib/contracts/provenance";

type TAccountRow = { system: string; username: string | null; name: string | null; email: string | null; personId: string | null };

/** The client-safe reference to an account (who did something), with its person when linked. */
export function toAccountRef(account: TAccountRow | null | undefined): TAccountRef | null {
  return account ? { system: account.system, username: account.username, name: account.name, email: account.email, personId: account.personId } : null;
}
