import http from "node:http";
import { handleIngestRequest } from "@/lib/ingest/serve/handle-ingest-request";
import { proxyToDashboard } from "./proxy-to-dashboard.ts";

export type TFrontServer = { close: () => Promise<void> };

/**
 * The listener users and senders reach on HOST:PORT. Webhook and credential deliveries are received
 * here directly (docs/decisions/004); everything else goes to the Next.js server on `dashboardPort`.
 * Resolves once listening; rejects when the address cannot be bound.
 */
export function startFrontServer(options: { host: string; port: number; dashboardPort: number }): Promise<TFrontServer> {
  const server = http.createServer((req, res) => {
    if (!handleIngestRequest(req, res)) proxyToDashboard(req, res, options.dashboardPort);
  });
  server.on("clientError", (_error, socket) => {
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve({
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
