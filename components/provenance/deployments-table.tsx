import Link from "next/link";
import { LocalTime } from "@/components/local-time";
import { StatusBadge } from "@/components/status-badge";
import type { TDeploymentRef } from "@/lib/contracts/provenance";
import { entityPaths } from "@/lib/shared/entity-paths";

export function DeploymentsTable({ deployments, empty }: { deployments: TDeploymentRef[]; empty: string }) {
  if (!deployments.length) return <p className="empty">{empty}</p>;
  return (
    <table aria-label="Deployments">
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">Environment</th>
          <th scope="col">Status</th>
          <th scope="col">Commit</th>
          <th scope="col">Linked by</th>
        </tr>
      </thead>
      <tbody>
        {deployments.map((d) => (
          <tr key={d.id}>
            <td>
              <Link href={entityPaths.deploy(d.id)} aria-label={`Receipt of the deploy to ${d.environment}`}>
                <LocalTime iso={d.occurredAt} />
              </Link>
            </td>
            <td>
              <Link href={entityPaths.deploy(d.id)}>{d.environment}</Link>
            </td>
            <td>
              <StatusBadge value={d.status} />
            </td>
            <td className="mono">{d.commitSha ? <Link href={entityPaths.commit(d.commitSha)}>{d.commitSha.slice(0, 8)}</Link> : "—"}</td>
            <td>{d.linkedBy}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
