import { NotFoundPanel } from "@/components/provenance/not-found-panel";

export default function BuildNotFound() {
  return <NotFoundPanel what="build" hint="No Buildkite build with this pipeline and number has reached Custody. Buildkite sends build events as a build runs." />;
}
