import type { TPersonAccount } from "@/lib/contracts/people";

const methodLabel: Record<string, string> = {
  gitlab_user_id: "same GitLab user id",
  sso_verified_email: "email verified by GitLab SSO",
  email_match: "same email seen on both sides",
  admin: "mapped by an admin",
  admin_unlinked: "unlinked by an admin",
};
const tone: Record<string, string> = { strong: "ok", weak: "warn", admin: "ok" };

/** Why an account belongs to its person: the method, its strength, and every piece of stored evidence. */
export function LinkEvidence({ account }: { account: TPersonAccount }) {
  return (
    <>
      <span>{account.linkMethod ? (methodLabel[account.linkMethod] ?? account.linkMethod) : "not linked"}</span>{" "}
      {account.strength ? <span className={`badge ${tone[account.strength] ?? ""}`}>{account.strength}</span> : null}
      {account.evidence ? (
        <dl className="evidence">
          {Object.entries(account.evidence)
            .filter(([key]) => key !== "strength")
            .map(([key, value]) => (
              <div key={key}>
                <dt>{key}</dt> <dd>{typeof value === "string" ? value : JSON.stringify(value)}</dd>
              </div>
            ))}
        </dl>
      ) : null}
    </>
  );
}
