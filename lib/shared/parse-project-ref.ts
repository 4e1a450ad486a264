/**
 * A project path and a trailing number from URL segments: `acme/payments-api/17` or the
 * reference form `acme/payments-api!17`. Null when the segments do not end in a number. The
 * segments are as Next.js hands them over, already percent-decoded.
 */
export function parseProjectRef(parts: string[]): { project: string; number: string } | null {
  const decoded = parts;
  const last = decoded.at(-1) ?? "";
  const bang = /^(.+)!([0-9]{1,20})$/.exec(last);
  if (bang && decoded.length >= 1) return { project: [...decoded.slice(0, -1), bang[1]].join("/"), number: bang[2]! };
  if (decoded.length < 2 || !/^[0-9]{1,20}$/.test(last)) return null;
  return { project: decoded.slice(0, -1).join("/"), number: last };
}
