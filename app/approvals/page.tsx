import type { Metadata } from "next";
import { NotBuiltYet } from "@/components/not-built-yet";
import { PageHeader } from "@/components/page-header";

export const metadata: Metadata = { title: "Approvals" };

export default function Page() {
  return (
    <>
      <PageHeader title="Approvals" lede="Builds waiting at a Buildkite block step." />
      <NotBuiltYet>Approving gated builds from Custody is not built yet.</NotBuiltYet>
    </>
  );
}
