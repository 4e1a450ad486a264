"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ZPersonAccount, ZUnlinkedAccounts, type TAccountLinkCreate } from "@/lib/contracts/people";
import { fetchJson } from "./fetch-json.ts";

const key = ["people-links"] as const;

/** Accounts without a person, with an admin's link and unlink (each needs a reason). */
export function usePeopleLinks() {
  const client = useQueryClient();
  const unlinked = useQuery({ queryKey: key, queryFn: () => fetchJson("/api/v1/people/links", ZUnlinkedAccounts) });
  const link = useMutation({
    mutationFn: (input: TAccountLinkCreate) => fetchJson("/api/v1/people/links", ZPersonAccount, { method: "POST", body: input }),
    onSuccess: () => client.invalidateQueries({ queryKey: key }),
  });
  const unlink = useMutation({
    mutationFn: (input: { accountId: string; reason: string }) =>
      fetchJson(`/api/v1/people/links/${encodeURIComponent(input.accountId)}`, ZPersonAccount, { method: "DELETE", body: { reason: input.reason } }),
    onSuccess: () => client.invalidateQueries({ queryKey: key }),
  });
  return { unlinked, link, unlink };
}
