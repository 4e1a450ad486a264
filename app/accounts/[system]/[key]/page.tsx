import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { findAccountPath } from "@/lib/domain/find-account-path";

export const metadata: Metadata = { title: "Account" };
export const dynamic = "force-dynamic";

/** An account named by system and username/email/id: forwards to its person, or to its activity while unlinked. */
export default async function AccountPage({ params }: { params: Promise<{ system: string; key: string }> }) {
  const { system, key } = await params;
  const path = await findAccountPath(system, key);
  if (!path) notFound();
  redirect(path);
}
