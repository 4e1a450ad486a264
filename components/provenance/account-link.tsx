import Link from "next/link";
import type { TAccountRef } from "@/lib/contracts/provenance";
import { entityPaths } from "@/lib/shared/entity-paths";

/** Who did something, linked to their person page (or their activity while the account is unlinked). */
export function AccountLink({ account, withEmail = false }: { account: TAccountRef | null | undefined; withEmail?: boolean }) {
  if (!account) return <>—</>;
  const label = account.username ?? account.name ?? account.email ?? "unknown";
  const href = account.personId ? entityPaths.person(account.personId) : entityPaths.account(account.system, account.username ?? account.email ?? account.name ?? "");
  return (
    <>
      <Link href={href}>{account.name && account.username ? `${account.name} (${account.username})` : label}</Link>
      {withEmail && account.email && account.email !== label ? <span className="empty"> &lt;{account.email}&gt;</span> : null}
    </>
  );
}
