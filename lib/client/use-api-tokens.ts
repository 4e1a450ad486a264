"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { z } from "zod";
import { ZApiTokenSummary, ZCreatedApiToken, type TApiTokenCreate } from "@/lib/contracts/api-tokens";
import { fetchJson } from "./fetch-json.ts";

const key = ["api-tokens"] as const;

/** The API token list with create (answers the token once) and revoke. */
export function useApiTokens() {
  const client = useQueryClient();
  const list = useQuery({ queryKey: key, queryFn: () => fetchJson("/api/v1/tokens", z.object({ items: z.array(ZApiTokenSummary) })) });
  const create = useMutation({
    mutationFn: (input: TApiTokenCreate) => fetchJson("/api/v1/tokens", ZCreatedApiToken, { method: "POST", body: input }),
    onSuccess: () => client.invalidateQueries({ queryKey: key }),
  });
  const revoke = useMutation({
    mutationFn: (id: string) => fetchJson(`/api/v1/tokens/${encodeURIComponent(id)}`, ZApiTokenSummary, { method: "DELETE" }),
    onSuccess: () => client.invalidateQueries({ queryKey: key }),
  });
  return { list, create, revoke };
}
