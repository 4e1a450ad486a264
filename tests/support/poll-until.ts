/**
 * Calls `probe` until it returns a value other than undefined, or throws once `timeoutMs` has passed,
 * naming what was awaited and the last value seen so a timeout says why.
 */
export async function pollUntil<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  options: { timeoutMs?: number; intervalMs?: number; describeLast?: () => Promise<unknown> } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      const last = options.describeLast ? JSON.stringify(await options.describeLast()) : "";
      throw new Error(`Timed out after ${options.timeoutMs ?? 20_000} ms waiting for ${what}. ${last}`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 100));
  }
}
