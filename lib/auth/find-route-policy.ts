import { matchRoutePattern } from "@/lib/shared/match-route-pattern";
import { routePolicy, type TRoutePattern, type TRoutePolicyEntry } from "./route-policy.ts";

// Static segments win over dynamic ones, as in the App Router: sort patterns so the most specific is tried first.
const specificity = (pattern: string) =>
  pattern
    .split("/")
    .filter(Boolean)
    .map((segment) => (segment.startsWith("[[") ? "3" : segment.startsWith("[...") ? "2" : segment.startsWith("[") ? "1" : "0"))
    .join("");
const ordered = (Object.keys(routePolicy) as TRoutePattern[]).sort((a, b) => {
  const byLength = b.split("/").length - a.split("/").length;
  return byLength !== 0 ? byLength : specificity(a).localeCompare(specificity(b));
});

/** The policy entry for a URL path, or null when the path is not a route Custody serves. */
export function findRoutePolicy(pathname: string): { pattern: TRoutePattern; entry: TRoutePolicyEntry } | null {
  for (const pattern of ordered) {
    if (matchRoutePattern(pattern, pathname)) return { pattern, entry: routePolicy[pattern] };
  }
  return null;
}
