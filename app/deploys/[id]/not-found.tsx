import { NotFoundPanel } from "@/components/provenance/not-found-panel";

export default function DeployNotFound() {
  return <NotFoundPanel what="deploy" hint="No deployment has this id. Deploys appear once GitLab or Buildkite reports them." />;
}
