"use client";

import { useState } from "react";
import { roles, type TRole } from "@/lib/contracts/roles";
import { useApiTokens } from "@/lib/client/use-api-tokens";
import { useHydrated } from "@/lib/client/use-hydrated";

const lifetimes = [
  { value: "30d", label: "30 days" },
  { value: "90d", label: "90 days" },
  { value: "365d", label: "1 year" },
  { value: "never", label: "never" },
];

/** API tokens: list, create (the token is shown once), revoke. */
export function ApiTokensPanel() {
  const hydrated = useHydrated();
  const { list, create, revoke } = useApiTokens();
  const [name, setName] = useState("");
  const [role, setRole] = useState<TRole>("viewer");
  const [expiresIn, setExpiresIn] = useState("90d");
  const created = create.data;
  return (
    <section className="panel" aria-labelledby="tokens">
      <h2 id="tokens">API tokens</h2>
      <p className="empty">
        Send <code>Authorization: Bearer &lt;token&gt;</code> to any <code>/api/v1</code> route; the token has its role&apos;s rights. Also{" "}
        <code>npx custody token create|list|revoke</code>.
      </p>
      <form
        className="form-row"
        onSubmit={(event) => {
          event.preventDefault();
          create.mutate({ name, role, expiresIn }, { onSuccess: () => setName("") });
        }}
      >
        <label>
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} placeholder="ci-reader" />
        </label>
        <label>
          Role
          <select value={role} onChange={(e) => setRole(e.target.value as TRole)}>
            {roles.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </label>
        <label>
          Expires after
          <select value={expiresIn} onChange={(e) => setExpiresIn(e.target.value)}>
            {lifetimes.map((l) => (
              <option key={l.value} value={l.value}>
                {l.label}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="primary" disabled={create.isPending || !hydrated}>
          Create token
        </button>
      </form>
      {create.error ? (
        <p role="alert" className="error">
          {create.error.message}
        </p>
      ) : null}
      {created ? (
        <div role="status">
          <p>
            Token <strong>{created.summary.name}</strong> created. Copy it now: it is not shown again.
          </p>
          <code className="secret" data-testid="new-token">
            {created.token}
          </code>
        </div>
      ) : null}
      {list.isPending ? (
        <p className="empty">Loading…</p>
      ) : list.error ? (
        <p className="error">{list.error.message}</p>
      ) : list.data.items.length === 0 ? (
        <p className="empty">No API tokens yet.</p>
      ) : (
        <table aria-label="API tokens">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Token</th>
              <th scope="col">Role</th>
              <th scope="col">Created</th>
              <th scope="col">Expires</th>
              <th scope="col">Last used</th>
              <th scope="col">Status</th>
              <th scope="col"></th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((token) => (
              <tr key={token.id}>
                <td>{token.name}</td>
                <td>
                  <code>{token.prefix}…</code>
                </td>
                <td>{token.role}</td>
                <td>
                  {token.createdAt.slice(0, 16).replace("T", " ")} by {token.createdBy}
                </td>
                <td>{token.expiresAt ? token.expiresAt.slice(0, 10) : "never"}</td>
                <td>{token.lastUsedAt ? token.lastUsedAt.slice(0, 16).replace("T", " ") : "never"}</td>
                <td>
                  <span className={`badge ${token.status === "active" ? "ok" : "bad"}`}>{token.status}</span>
                </td>
                <td>
                  {token.status === "active" ? (
                    <button type="button" className="danger" disabled={revoke.isPending} onClick={() => revoke.mutate(token.id)} aria-label={`Revoke ${token.name}`}>
                      Revoke
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
