import type { Metadata } from "next";
import { NotBuiltYet } from "@/components/not-built-yet";
import { PageHeader } from "@/components/page-header";

export const metadata: Metadata = { title: "Settings" };

export default function Page() {
  return (
    <>
      <PageHeader title="Settings" lede="Connections, people, tokens and signing keys." />
      <NotBuiltYet>Settings are not built yet.</NotBuiltYet>
    </>
  );
}
