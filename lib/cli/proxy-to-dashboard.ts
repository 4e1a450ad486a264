import http from "node:http";
import { forwardedFor } from "@/lib/http/forwarded-for";

// Hop-by-hop headers belong to one connection and are not forwarded (RFC 9110 §7.6.1). Framing
// (transfer-encoding) is redone by Node for each side, so an HTTP/1.0 client gets an unchunked body.
const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-connection", "upgrade", "te", "trailer", "transfer-encoding", "proxy-authenticate", "proxy-authorization"]);

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

function forwardable(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const out: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
  return out;
}

/**
 * Passes a request to the Next.js server on 127.0.0.1:`port` and streams its answer back unchanged
 * (server-sent events included). Sets the X-Forwarded-* headers Next.js would have set itself had the
 * client reached it directly, so addresses, origins and redirects read the same.
 */
export function proxyToDashboard(req: http.IncomingMessage, res: http.ServerResponse, port: number): void {
  const headers = forwardable(req.headers);
  headers["x-forwarded-for"] = forwardedFor(req);
  headers["x-forwarded-host"] ??= req.headers.host ?? "";
  headers["x-forwarded-port"] ??= String(req.socket.localPort ?? "");
  headers["x-forwarded-proto"] ??= "http";
  const upstream = http.request({ host: "127.0.0.1", port, method: req.method, path: req.url, headers, agent }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.statusMessage, forwardable(answer.headers));
    answer.pipe(res);
    answer.on("error", () => res.destroy());
  });
  upstream.on("error", () => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const text = "Custody's dashboard is starting or restarting; try again in a few seconds.\n";
    res.writeHead(503, { "Content-Type": "text/plain; charset=utf-8", "Retry-After": "2", "Content-Length": Buffer.byteLength(text) });
    res.end(text);
  });
  // A browser leaving a page (or a live stream) must not keep the upstream request open.
  res.on("close", () => {
    if (!res.writableFinished) upstream.destroy();
  });
  req.pipe(upstream);
}
