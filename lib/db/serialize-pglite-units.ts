import type { PGlite } from "@electric-sql/pglite";
import type { PGLiteSocketServer } from "@electric-sql/pglite-socket";

type TQueued = {
  handlerId: number;
  message: Uint8Array;
  resolve: (bytes: number) => void;
  reject: (error: unknown) => void;
  onData: (data: Uint8Array) => void;
};

type TQueryQueue = {
  queue: TQueued[];
  processing: boolean;
  lastHandlerId: number | null;
  processQueue: () => Promise<void>;
  clearQueueForHandler: (handlerId: number) => void;
};

// Frontend messages that end a unit of work: Sync closes an extended-protocol exchange (Parse, Bind,
// Describe, Execute…), Query is a whole simple query, Terminate ends the connection. A startup packet
// has no type byte (it begins with its length, so a zero byte here).
const UNIT_ENDS = new Set([0x53, 0x51, 0x58, 0x00]);

/**
 * PGlite has one session, which the socket server shares between connections by queueing their
 * protocol messages. It keeps a connection's explicit transaction together, but interleaves other
 * connections' messages inside an extended-protocol exchange: another client's Parse lands between
 * this client's Parse and Bind, and answers reach the wrong client ("bind message supplies 1
 * parameters…", a query returning another query's rows). This makes the queue keep each
 * connection's messages together from its first message up to its Sync (or simple Query), as well
 * as for the whole of an explicit transaction.
 */
export function serializePgliteUnits(server: PGLiteSocketServer, db: PGlite): void {
  const queue = (server as unknown as { queryQueue: TQueryQueue }).queryQueue;
  let openUnit: number | null = null;
  const clear = queue.clearQueueForHandler.bind(queue);
  queue.clearQueueForHandler = (handlerId) => {
    if (openUnit === handlerId) openUnit = null;
    clear(handlerId);
  };
  queue.processQueue = async function processQueue(this: TQueryQueue) {
    if (this.processing || this.queue.length === 0) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        const owner = openUnit ?? (db.isInTransaction() ? this.lastHandlerId : null);
        const index = owner === null ? 0 : this.queue.findIndex((q) => q.handlerId === owner);
        // The owner's next message has not arrived yet; its enqueue runs the queue again.
        if (index === -1) break;
        const item = this.queue.splice(index, 1)[0]!;
        try {
          let bytes = 0;
          await db.runExclusive(() =>
            db.execProtocolRawStream(item.message, {
              onRawData: (data: Uint8Array) => {
                bytes += data.length;
                item.onData(data);
              },
            }),
          );
          this.lastHandlerId = item.handlerId;
          openUnit = UNIT_ENDS.has(item.message[0]!) ? null : item.handlerId;
          item.resolve(bytes);
        } catch (error) {
          openUnit = null;
          item.reject(error);
        }
      }
    } finally {
      this.processing = false;
    }
  };
}
