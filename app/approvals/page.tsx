import type { Metadata } from "next";
import { ApprovalsBoard } from "@/components/approvals/approvals-board";
import { PageHeader } from "@/components/page-header";
import { requirePagePrincipal } from "@/lib/auth/require-page-principal";
import { roleAllows } from "@/lib/shared/role-allows";

export const metadata: Metadata = { title: "Approvals" };
export const dynamic = "force-dynamic";

export default async function Page() {
  const principal = await requirePagePrincipal("viewer", "/approvals");
  return (
    <>
      <PageHeader title="Approvals" lede="Builds waiting at a Buildkite block step, the change behind each, and what the approval policy says about you approving it." />
      <ApprovalsBoard canAct={roleAllows(principal.role, "approver")} />
    </>
  );
}
