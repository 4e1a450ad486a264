import { PageLoading } from "@/components/provenance/page-states";

export default function Loading() {
  return <PageLoading what="the pipeline" />;
}
