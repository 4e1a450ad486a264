"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ZApprovalResult, ZWaitingGates } from "@/lib/contracts/approvals";
import { fetchJson } from "./fetch-json.ts";

export const approvalsKey = ["approvals"] as const;

/** Waiting gates with the caller's verdict, and approve/decline (each refreshes the list when settled). */
export function useApprovals() {
  const client = useQueryClient();
  const gates = useQuery({ queryKey: approvalsKey, queryFn: () => fetchJson("/api/v1/approvals", ZWaitingGates), refetchInterval: 15_000 });
  const approve = useMutation({
    mutationFn: (input: { gateId: string; fields?: Record<string, string> }) =>
      fetchJson(`/api/v1/approvals/${encodeURIComponent(input.gateId)}/approve`, ZApprovalResult, { method: "POST", body: input.fields ? { fields: input.fields } : {} }),
    onSettled: () => client.invalidateQueries({ queryKey: approvalsKey }),
  });
  const decline = useMutation({
    mutationFn: (input: { gateId: string; reason: string }) =>
      fetchJson(`/api/v1/approvals/${encodeURIComponent(input.gateId)}/decline`, ZApprovalResult, { method: "POST", body: { reason: input.reason } }),
    onSettled: () => client.invalidateQueries({ queryKey: approvalsKey }),
  });
  return { gates, approve, decline };
}
