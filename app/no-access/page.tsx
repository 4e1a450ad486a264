import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/page-header";
import { RoleGroupsTable } from "@/components/role-groups-table";
import { getSignInConfig } from "@/lib/auth/get-sign-in-config";

export const metadata: Metadata = { title: "No access" };
export const dynamic = "force-dynamic";

export default async function Page({ searchParams }: { searchParams: Promise<{ reason?: string }> }) {
  const { reason } = await searchParams;
  const config = getSignInConfig();
  return (
    <>
      <PageHeader
        title="No access"
        lede={
          reason === "removed"
            ? "You are no longer in a GitLab group that grants access to Custody, so your session has ended."
            : "Your GitLab account is not in any group that grants access to Custody."
        }
      />
      <section className="panel">
        <p>Access comes from membership of these GitLab groups on {config.gitlabUrl} (the highest matching role applies). Ask a group owner to add you, then sign in again.</p>
        <RoleGroupsTable roleGroups={config.roleGroups} />
        <p>
          <Link href="/sign-in">Sign in again</Link>
        </p>
      </section>
    </>
  );
}
