import { QueryClient, isServer } from "@tanstack/react-query";

let browserClient: QueryClient | undefined;

/** A fresh client per server render; one shared client in the browser. */
export function getQueryClient(): QueryClient {
  const make = () => new QueryClient({ defaultOptions: { queries: { staleTime: 30_000, retry: 1 } } });
  if (isServer) return make();
  browserClient ??= make();
  return browserClient;
}
