import type { Metadata } from "next";
import { NotBuiltYet } from "@/components/not-built-yet";
import { PageHeader } from "@/components/page-header";

export const metadata: Metadata = { title: "Deploys" };

export default function Page() {
  return (
    <>
      <PageHeader title="Deploys" lede="Production deploys and their receipts." />
      <NotBuiltYet>Deploy receipts are not built yet.</NotBuiltYet>
    </>
  );
}
