"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ZExportJob, ZExportJobs } from "@/lib/contracts/exports";
import { fetchJson } from "./fetch-json.ts";

export const exportsKey = ["exports"] as const;

/** The caller's recent background exports (polled every second while one is queued or running) and `start` to queue one. */
export function useExports() {
  const client = useQueryClient();
  const jobs = useQuery({
    queryKey: exportsKey,
    queryFn: () => fetchJson("/api/v1/exports", ZExportJobs),
    refetchInterval: (query) => (query.state.data?.items.some((j) => j.state === "queued" || j.state === "running") ? 1_000 : 15_000),
  });
  const start = useMutation({
    mutationFn: (input: { kind: string; params: Record<string, string> }) => fetchJson("/api/v1/exports", ZExportJob, { method: "POST", body: input }),
    onSettled: () => client.invalidateQueries({ queryKey: exportsKey }),
  });
  return { jobs, start };
}
