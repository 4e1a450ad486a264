import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { RoleGroupsTable } from "@/components/role-groups-table";
import { ApiTokensPanel } from "@/components/settings/api-tokens-panel";
import { AuditTrailPanel } from "@/components/settings/audit-trail-panel";
import { BackfillPanel } from "@/components/settings/backfill-panel";
import { LedgerPanel } from "@/components/settings/ledger-panel";
import { PeoplePanel } from "@/components/settings/people-panel";
import { SessionsPanel } from "@/components/settings/sessions-panel";
import { getSignInConfig } from "@/lib/auth/get-sign-in-config";
import { requirePagePrincipal } from "@/lib/auth/require-page-principal";
import { getLedgerStatus } from "@/lib/evidence/get-ledger-status";

export const metadata: Metadata = { title: "Settings" };
export const dynamic = "force-dynamic";

const hours = (seconds: number) => (seconds % 3600 === 0 ? `${seconds / 3600} h` : `${Math.round(seconds / 60)} min`);

export default async function Page() {
  await requirePagePrincipal("admin", "/settings");
  const config = getSignInConfig();
  const ledger = await getLedgerStatus();
  return (
    <>
      <PageHeader title="Settings" lede="Sign-in, API tokens, sessions, people links, backfill from the vendors' APIs, Custody's own audit trail and the ledger signing key." />
      <section className="panel" aria-labelledby="sign-in">
        <h2 id="sign-in">Sign-in</h2>
        {config.demo ? (
          <p>
            <span className="badge warn">demo mode</span> SSO is not configured: anyone who reaches this address signs in as the local admin. Set{" "}
            <code>GITLAB_CLIENT_ID</code>, <code>GITLAB_CLIENT_SECRET</code>, <code>NEXTAUTH_URL</code>, <code>NEXTAUTH_SECRET</code> and the group lists.
          </p>
        ) : (
          <p>
            <span className="badge ok">GitLab SSO</span> against <code>{config.gitlabUrl}</code>. Sessions last at most {hours(config.sessionMaxAgeSeconds)}, end after{" "}
            {hours(config.sessionIdleSeconds)} unused, and re-read GitLab groups every {config.roleRecheckSeconds < 60 ? `${config.roleRecheckSeconds} s` : hours(config.roleRecheckSeconds)} (and before every export or replay).
          </p>
        )}
        <RoleGroupsTable roleGroups={config.roleGroups} />
      </section>
      <ApiTokensPanel />
      <SessionsPanel />
      <PeoplePanel />
      <BackfillPanel />
      <AuditTrailPanel />
      <LedgerPanel status={ledger} />
    </>
  );
}
