"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { ZAuditPage } from "@/lib/contracts/audit";
import { fetchJson } from "./fetch-json.ts";

/** The audit trail, newest first, one keyset page at a time ("load more"). */
export function useAuditEntries(pageSize = 25) {
  return useInfiniteQuery({
    queryKey: ["audit-entries", pageSize],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => fetchJson(`/api/v1/audit?limit=${pageSize}${pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ""}`, ZAuditPage),
    getNextPageParam: (last) => last.nextCursor,
  });
}
