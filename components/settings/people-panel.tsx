"use client";

import { useState } from "react";
import type { TPersonAccount } from "@/lib/contracts/people";
import { usePeopleLinks } from "@/lib/client/use-people-links";
import { useHydrated } from "@/lib/client/use-hydrated";

/** One unlinked account with a form to put it with a person (or a new one), giving a reason. */
function LinkRow({ account, onLink, pending }: { account: TPersonAccount; onLink: (personId: string, reason: string) => void; pending: boolean }) {
  const hydrated = useHydrated();
  const [personId, setPersonId] = useState("");
  const [reason, setReason] = useState("");
  const label = account.username ?? account.externalId;
  return (
    <tr>
      <td>{account.system}</td>
      <td>
        {label} <span className="mono empty">{account.id}</span>
      </td>
      <td>{account.name ?? "—"}</td>
      <td>{account.email ?? "—"}</td>
      <td>{account.linkMethod === "admin_unlinked" ? `unlinked by ${String(account.evidence?.mappedBy ?? "an admin")}` : "no evidence yet"}</td>
      <td>
        <form
          className="form-row"
          aria-label={`Link ${label}`}
          onSubmit={(event) => {
            event.preventDefault();
            onLink(personId.trim() || "new", reason);
          }}
        >
          <input value={personId} onChange={(e) => setPersonId(e.target.value)} placeholder="person id, or empty for new" aria-label="Person id" maxLength={36} />
          <input value={reason} onChange={(e) => setReason(e.target.value)} placeholder="why" aria-label="Reason" required maxLength={500} />
          <button type="submit" disabled={pending || !hydrated}>
            Link
          </button>
        </form>
      </td>
    </tr>
  );
}

/** People: accounts no evidence links to a person, an admin's link form, and unlinking by account id. Every change is audited. */
export function PeoplePanel() {
  const hydrated = useHydrated();
  const { unlinked, link, unlink } = usePeopleLinks();
  const [accountId, setAccountId] = useState("");
  const [reason, setReason] = useState("");
  const error = link.error ?? unlink.error;
  return (
    <section className="panel" aria-labelledby="people">
      <h2 id="people">People</h2>
      <p className="empty">
        Accounts are linked only on evidence: the same GitLab user id, an email verified by GitLab SSO, or (weak) an email seen on both sides. Never on a
        name. Link the rest by hand; each change is recorded in the audit trail. Also <code>npx custody people list-unlinked|link|unlink</code>.
      </p>
      {error ? (
        <p role="alert" className="error">
          {error.message}
        </p>
      ) : null}
      {unlinked.isPending ? (
        <p className="empty">Loading…</p>
      ) : unlinked.error ? (
        <p className="error">{unlinked.error.message}</p>
      ) : unlinked.data.items.length === 0 ? (
        <p className="empty">Every account belongs to a person.</p>
      ) : (
        <table aria-label="Unlinked accounts">
          <thead>
            <tr>
              <th scope="col">System</th>
              <th scope="col">Account</th>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Status</th>
              <th scope="col">Link to</th>
            </tr>
          </thead>
          <tbody>
            {unlinked.data.items.map((account) => (
              <LinkRow key={account.id} account={account} pending={link.isPending} onLink={(personId, why) => link.mutate({ accountId: account.id, personId, reason: why })} />
            ))}
          </tbody>
        </table>
      )}
      <form
        className="form-row"
        aria-label="Unlink an account"
        onSubmit={(event) => {
          event.preventDefault();
          unlink.mutate({ accountId: accountId.trim(), reason }, { onSuccess: () => setAccountId("") });
        }}
      >
        <label>
          Unlink account id
          <input value={accountId} onChange={(e) => setAccountId(e.target.value)} required maxLength={36} />
        </label>
        <label>
          Reason
          <input value={reason} onChange={(e) => setReason(e.target.value)} required maxLength={500} />
        </label>
        <button type="submit" className="danger" disabled={unlink.isPending || !hydrated}>
          Unlink
        </button>
      </form>
    </section>
  );
}
