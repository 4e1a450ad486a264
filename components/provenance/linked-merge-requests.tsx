import Link from "next/link";
import { StatusBadge } from "@/components/status-badge";
import type { TMergeRequestRef } from "@/lib/contracts/provenance";
import { entityPaths } from "@/lib/shared/entity-paths";

/** The merge requests a pipeline or build was joined to, each with the key that joined it. */
export function LinkedMergeRequests({ mergeRequests, empty }: { mergeRequests: TMergeRequestRef[]; empty: string }) {
  if (mergeRequests.length === 0) return <>{empty}</>;
  return (
    <>
      {mergeRequests.map((mr) => (
        <span key={`${mr.project}!${mr.iid}`}>
          <Link href={entityPaths.mergeRequest(mr.project, mr.iid)}>{`${mr.project}!${mr.iid}`}</Link> {mr.title} {mr.state ? <StatusBadge value={mr.state} /> : null}{" "}
          <span className="empty">({mr.linkedBy})</span>
          <br />
        </span>
      ))}
    </>
  );
}
