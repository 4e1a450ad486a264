// GET /api/v1/stream — Server-Sent Events: new timeline facts as they are written (who: any signed-in role).
import { findTimelineEventsAfter } from "@/lib/domain/find-timeline-events-after";
import { defineRoute } from "@/lib/http/define-route";
import { recheckAccess } from "@/lib/http/recheck-access";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const POLL_MS = 1_000;
// The session or token is checked again this often; a revoked session or a lost role ends the stream.
const RECHECK_MS = 5_000;

export const GET = defineRoute("/api/v1/stream", "GET", async (request) => {
  const encoder = new TextEncoder();
  let timer: ReturnType<typeof setInterval> | undefined;
  let closed = false;
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      let last = (await findTimelineEventsAfter(null)).lastId;
      let checkedAt = Date.now();
      controller.enqueue(encoder.encode(`retry: 5000\n: connected\n\n`));
      const end = (reason: string) => {
        closed = true;
        clearInterval(timer);
        controller.enqueue(encoder.encode(`event: end\ndata: ${JSON.stringify({ reason })}\n\n`));
        controller.close();
      };
      const tick = async () => {
        if (closed) return;
        try {
          if (Date.now() - checkedAt >= RECHECK_MS) {
            checkedAt = Date.now();
            const refused = await recheckAccess(request.headers, "viewer");
            if (closed) return;
            if (refused) return end(refused);
          }
          const batch = await findTimelineEventsAfter(last);
          last = batch.lastId;
          for (const item of batch.items) {
            controller.enqueue(encoder.encode(`id: ${item.id}\nevent: fact\ndata: ${JSON.stringify(item)}\n\n`));
          }
          if (!batch.items.length) controller.enqueue(encoder.encode(`: keep-alive\n\n`));
        } catch {
          // The database is briefly unreachable; the next tick tries again.
        }
      };
      timer = setInterval(() => void tick(), POLL_MS);
      request.signal.addEventListener("abort", () => {
        closed = true;
        clearInterval(timer);
        try {
          controller.close();
        } catch {
          // already closed
        }
      });
    },
    cancel() {
      closed = true;
      clearInterval(timer);
    },
  });
  return new Response(stream, {
    headers: { "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-cache, no-transform", "X-Accel-Buffering": "no" },
  });
});
