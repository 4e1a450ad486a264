import type { Metadata } from "next";
import Link from "next/link";
import { LocalTime } from "@/components/local-time";
import { PageHeader } from "@/components/page-header";
import { ZPeopleQuery } from "@/lib/contracts/people";
import { findPeople } from "@/lib/people/find-people";

export const metadata: Metadata = { title: "People" };
export const dynamic = "force-dynamic";

export default async function PeoplePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const raw = await searchParams;
  const parsed = ZPeopleQuery.safeParse({ cursor: typeof raw.cursor === "string" ? raw.cursor : undefined });
  const page = await findPeople(parsed.success ? parsed.data : ZPeopleQuery.parse({})).catch(() => ({ items: [], nextCursor: null }));
  return (
    <>
      <PageHeader title="People" lede="Each person and the accounts linked to them on evidence (same GitLab user id, an SSO-verified email, a shared email, or an admin's mapping)." />
      <section className="panel">
        {page.items.length === 0 ? (
          <p className="empty">No people yet. Every GitLab user seen in a webhook or signed in to Custody becomes one.</p>
        ) : (
          <table aria-label="People">
            <thead>
              <tr>
                <th scope="col">Person</th>
                <th scope="col">Accounts</th>
                <th scope="col">Known since</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((p) => (
                <tr key={p.id}>
                  <td>
                    <Link href={`/people/${p.id}`}>{p.displayName}</Link>
                  </td>
                  <td>{p.accounts.map((a) => `${a.system}:${a.username ?? a.id.slice(0, 8)}`).join(", ") || "none"}</td>
                  <td>
                    <LocalTime iso={p.createdAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {page.nextCursor ? <Link href={`/people?cursor=${encodeURIComponent(page.nextCursor)}`}>Older →</Link> : null}
      </section>
    </>
  );
}
