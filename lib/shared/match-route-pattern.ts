/**
 * Whether a URL path matches an App Router route pattern such as `/api/v1/deployments/[id]`,
 * `/api/auth/[...nextauth]` or `/docs/[[...slug]]`. Route groups like `(admin)` are not part of URLs
 * and must already be removed from the pattern.
 */
export function matchRoutePattern(pattern: string, pathname: string): boolean {
  const want = pattern.split("/").filter(Boolean);
  const have = pathname.replace(/\/+$/, "").split("/").filter(Boolean);
  for (let i = 0; i < want.length; i += 1) {
    const segment = want[i]!;
    if (/^\[\[\.\.\.[^\]]+\]\]$/.test(segment)) return true;
    if (/^\[\.\.\.[^\]]+\]$/.test(segment)) return have.length > i;
    if (i >= have.length) return false;
    if (/^\[[^\]]+\]$/.test(segment)) continue;
    if (segment !== have[i]) return false;
  }
  return have.length === want.length;
}
