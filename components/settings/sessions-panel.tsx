"use client";

import { useSessions } from "@/lib/client/use-sessions";

/** Live sign-in sessions; an admin can end any of them. */
export function SessionsPanel() {
  const { list, revoke } = useSessions();
  return (
    <section className="panel" aria-labelledby="sessions">
      <h2 id="sessions">Sessions</h2>
      {list.isPending ? (
        <p className="empty">Loading…</p>
      ) : list.error ? (
        <p className="error">{list.error.message}</p>
      ) : (
        <table aria-label="Sessions">
          <thead>
            <tr>
              <th scope="col">User</th>
              <th scope="col">Role</th>
              <th scope="col">Signed in</th>
              <th scope="col">Last seen</th>
              <th scope="col">From</th>
              <th scope="col"></th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((s) => (
              <tr key={s.id}>
                <td>
                  {s.username} <span className="empty">({s.provider})</span>
                </td>
                <td>{s.role ?? "none"}</td>
                <td>{s.createdAt.slice(0, 16).replace("T", " ")}</td>
                <td>{s.lastSeenAt.slice(0, 16).replace("T", " ")}</td>
                <td>{s.ip ?? ""}</td>
                <td>
                  {s.current ? (
                    <span className="empty">this session</span>
                  ) : (
                    <button type="button" className="danger" disabled={revoke.isPending} onClick={() => revoke.mutate(s.id)} aria-label={`End session of ${s.username}`}>
                      End
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
