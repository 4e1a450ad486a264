import type { TRoleGroups } from "@/lib/auth/map-groups-to-role";

const described: { role: keyof TRoleGroups; rights: string }[] = [
  { role: "admin", rights: "everything: settings, people links, API tokens, replays" },
  { role: "approver", rights: "read timelines and receipts, approve gates" },
  { role: "auditor", rights: "read timelines and receipts, exports and evidence packs" },
  { role: "viewer", rights: "read timelines and receipts" },
];

/** Which GitLab groups grant which Custody role. */
export function RoleGroupsTable({ roleGroups }: { roleGroups: TRoleGroups }) {
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">Role</th>
          <th scope="col">Granted by membership of</th>
          <th scope="col">May</th>
        </tr>
      </thead>
      <tbody>
        {described.map(({ role, rights }) => (
          <tr key={role}>
            <td>{role}</td>
            <td>{roleGroups[role].length ? roleGroups[role].map((g) => <code key={g}>{g} </code>) : <span className="empty">no group</span>}</td>
            <td>{rights}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
