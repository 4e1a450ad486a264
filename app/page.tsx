import { NotBuiltYet } from "@/components/not-built-yet";
import { PageHeader } from "@/components/page-header";

export default function OverviewPage() {
  return (
    <>
      <PageHeader
        title="Overview"
        lede="Who shipped what to production, how, and with which approvals and credentials."
      />
      <NotBuiltYet>
        The overview is not built yet. Connect GitLab and Buildkite webhooks (see the README) and deliveries will be
        stored as evidence from the first one.
      </NotBuiltYet>
    </>
  );
}
