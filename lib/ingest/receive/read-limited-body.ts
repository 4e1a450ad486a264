export class BodyTooLargeError extends Error {}

/**
 * What the receiving path needs of a request: its headers and its body as bytes arriving. A fetch
 * `Request` (Next.js route handlers) and the ingest listener's adapter of a Node request both fit.
 */
export type TIncomingRequest = {
  headers: Headers;
  body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | null;
};

async function* chunksOf(body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  if (!("getReader" in body)) {
    yield* body;
    return;
  }
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}

/** Reads a request body up to `limit` bytes; stops reading and throws as soon as it is exceeded. */
export async function readLimitedBody(request: TIncomingRequest, limit: number): Promise<Buffer> {
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > limit) throw new BodyTooLargeError(`body of ${declared} bytes exceeds ${limit}`);
  if (!request.body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const value of chunksOf(request.body)) {
    total += value.byteLength;
    if (total > limit) throw new BodyTooLargeError(`body exceeds ${limit} bytes`);
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}
