import { NotFoundPanel } from "@/components/provenance/not-found-panel";

export default function PipelineNotFound() {
  return <NotFoundPanel what="pipeline" hint="No pipeline with this id has reached Custody for this project. GitLab sends pipeline events as a pipeline runs." />;
}
