import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { LocalTime } from "@/components/local-time";
import { PageHeader } from "@/components/page-header";
import { LinkEvidence } from "@/components/people/link-evidence";
import { ZPersonQuery } from "@/lib/contracts/people";
import { findTimelineLinks, type TTimelineLinks } from "@/lib/domain/find-timeline-links";
import { getPerson } from "@/lib/people/get-person";

export const metadata: Metadata = { title: "Person" };
export const dynamic = "force-dynamic";

export default async function PersonPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { id } = await params;
  const raw = await searchParams;
  const parsed = ZPersonQuery.safeParse({ cursor: typeof raw.cursor === "string" ? raw.cursor : undefined });
  const person = await getPerson(id, parsed.success ? parsed.data : ZPersonQuery.parse({})).catch(() => null);
  if (!person) notFound();
  const links: Record<string, TTimelineLinks> = await findTimelineLinks(person.activity.items.map((e) => e.id));
  const weak = person.accounts.some((a) => a.strength === "weak");
  return (
    <>
      <PageHeader
        title={person.displayName}
        lede={
          <>
            {person.accounts.length} account(s) · known since <LocalTime iso={person.createdAt} /> · <a href={`/api/v1/people/${person.id}`}>JSON</a>
          </>
        }
      />
      <section className="panel" aria-labelledby="accounts">
        <h2 id="accounts">Accounts</h2>
        {weak ? <p className="empty">A weak link rests on an email seen on both sides that neither system verified; an admin can confirm or undo it in Settings.</p> : null}
        <table aria-label="Accounts">
          <thead>
            <tr>
              <th scope="col">System</th>
              <th scope="col">Account</th>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Linked by</th>
            </tr>
          </thead>
          <tbody>
            {person.accounts.map((a) => (
              <tr key={a.id}>
                <td>{a.system}</td>
                <td>
                  {a.username ?? a.externalId} <span className="mono empty">{a.externalId}</span>
                </td>
                <td>{a.name ?? "—"}</td>
                <td>{a.email ?? "—"}</td>
                <td>
                  <LinkEvidence account={a} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="panel" aria-labelledby="activity">
        <h2 id="activity">Activity</h2>
        {person.activity.items.length === 0 ? (
          <p className="empty">Nothing recorded for these accounts yet.</p>
        ) : (
          <table aria-label="Activity">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">System</th>
                <th scope="col">What</th>
                <th scope="col">Project</th>
              </tr>
            </thead>
            <tbody>
              {person.activity.items.map((e) => (
                <tr key={e.id}>
                  <td>
                    <LocalTime iso={e.occurredAt} />
                  </td>
                  <td>{e.source}</td>
                  <td>{links[e.id]?.subject ? <Link href={links[e.id]!.subject!}>{e.title}</Link> : e.title}</td>
                  <td>{e.projectPath ? <Link href={`/timeline?project=${encodeURIComponent(e.projectPath)}`}>{e.projectPath}</Link> : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {person.activity.nextCursor ? <Link href={`/people/${person.id}?cursor=${encodeURIComponent(person.activity.nextCursor)}`}>Older →</Link> : null}
      </section>
      <p>
        <Link href="/people">← All people</Link>
      </p>
    </>
  );
}
