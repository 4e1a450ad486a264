import type { TIdentityKeys } from "./build-policy-verdict.ts";

type TAccountLike = { id: string; personId: string | null; email: string | null };

/** The identity keys of one account (see TIdentityKeys): its id, its person, its email. */
export function accountKeys(a: TAccountLike | null | undefined): TIdentityKeys {
  return a ? [`account:${a.id}`, ...(a.personId ? [`person:${a.personId}`] : []), ...(a.email ? [`email:${a.email.toLowerCase()}`] : [])] : [];
}
