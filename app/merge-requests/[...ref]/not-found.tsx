import { NotFoundPanel } from "@/components/provenance/not-found-panel";

export default function MergeRequestNotFound() {
  return <NotFoundPanel what="merge request" hint="No merge request with this reference has reached Custody. GitLab sends merge request events when one is opened, updated, approved or merged." />;
}
