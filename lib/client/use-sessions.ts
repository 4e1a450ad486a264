"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { z } from "zod";
import { ZSessionSummary } from "@/lib/contracts/sessions";
import { fetchJson } from "./fetch-json.ts";

const key = ["sessions"] as const;

/** Live sessions with revoke. */
export function useSessions() {
  const client = useQueryClient();
  const list = useQuery({ queryKey: key, queryFn: () => fetchJson("/api/v1/sessions", z.object({ items: z.array(ZSessionSummary) })) });
  const revoke = useMutation({
    mutationFn: (id: string) => fetchJson(`/api/v1/sessions/${encodeURIComponent(id)}`, z.undefined(), { method: "DELETE" }),
    onSuccess: () => client.invalidateQueries({ queryKey: key }),
  });
  return { list, revoke };
}
