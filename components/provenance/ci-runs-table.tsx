import Link from "next/link";
import { LocalTime } from "@/components/local-time";
import { StatusBadge } from "@/components/status-badge";
import type { TBuildRef, TPipelineRef } from "@/lib/contracts/provenance";
import { entityPaths } from "@/lib/shared/entity-paths";

/** GitLab pipelines and Buildkite builds in one table, each linked to its page. */
export function CiRunsTable({ pipelines, builds, empty }: { pipelines: TPipelineRef[]; builds: TBuildRef[]; empty: string }) {
  if (!pipelines.length && !builds.length) return <p className="empty">{empty}</p>;
  return (
    <table aria-label="Pipelines and builds">
      <thead>
        <tr>
          <th scope="col">Pipeline / build</th>
          <th scope="col">Status</th>
          <th scope="col">Ref</th>
          <th scope="col">Commit</th>
          <th scope="col">Created</th>
          <th scope="col">Linked by</th>
        </tr>
      </thead>
      <tbody>
        {pipelines.map((p) => (
          <tr key={`p${p.project}${p.id}`}>
            <td>
              <Link href={entityPaths.pipeline(p.project, p.id)}>GitLab #{p.id}</Link>
            </td>
            <td>
              <StatusBadge value={p.status} />
            </td>
            <td>{p.ref ?? "—"}</td>
            <td className="mono">{p.sha ? <Link href={entityPaths.commit(p.sha)}>{p.sha.slice(0, 8)}</Link> : "—"}</td>
            <td>{p.createdAt ? <LocalTime iso={p.createdAt} /> : "—"}</td>
            <td>{p.linkedBy}</td>
          </tr>
        ))}
        {builds.map((b) => (
          <tr key={`b${b.pipeline}${b.number}`}>
            <td>
              <Link href={entityPaths.build(b.pipeline, b.number)}>{`${b.pipeline} #${b.number}`}</Link>
            </td>
            <td>
              <StatusBadge value={b.state} />
            </td>
            <td>—</td>
            <td className="mono">{b.commitSha ? <Link href={entityPaths.commit(b.commitSha)}>{b.commitSha.slice(0, 8)}</Link> : "—"}</td>
            <td>{b.createdAt ? <LocalTime iso={b.createdAt} /> : "—"}</td>
            <td>{b.linkedBy}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
