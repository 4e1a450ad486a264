"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { z } from "zod";
import { ZBackfillList, type TBackfillCreate } from "@/lib/contracts/backfills";
import { fetchJson } from "./fetch-json.ts";

const key = ["backfills"] as const;

/** Backfill and reconciliation runs, refreshed every 2 s while one is queued or running; and an admin's "start". */
export function useBackfills() {
  const client = useQueryClient();
  const runs = useQuery({
    queryKey: key,
    queryFn: () => fetchJson("/api/v1/backfills", ZBackfillList),
    refetchInterval: (query) => (query.state.data?.items.some((r) => r.state === "queued" || r.state === "running") ? 2_000 : false),
  });
  const start = useMutation({
    mutationFn: (input: TBackfillCreate) => fetchJson("/api/v1/backfills", z.object({ id: z.string(), resumed: z.boolean() }), { method: "POST", body: input }),
    onSuccess: () => client.invalidateQueries({ queryKey: key }),
  });
  return { runs, start };
}
