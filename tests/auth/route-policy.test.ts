import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { describe, expect, it } from "vitest";
import { routePolicy, type TRoutePolicyEntry } from "@/lib/auth/route-policy";
import { findRoutePolicy } from "@/lib/auth/find-route-policy";

// The policy table must list every page and route handler the app serves, with every method a route
// exports; a new route without an entry fails here (and is refused by the proxy until listed).

const root = join(import.meta.dirname, "..", "..");
const appDir = join(root, "app");

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

/** The URL pattern of an app file (null for private `_folders`); route groups and slots are not part of URLs. */
function patternOf(file: string): string | null {
  const segments = relative(appDir, file).split(sep).slice(0, -1);
  if (segments.some((s) => s.startsWith("_"))) return null;
  return `/${segments.filter((s) => !(s.startsWith("(") && s.endsWith(")")) && !s.startsWith("@")).join("/")}`;
}

const methodNames = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

function exportedMethods(source: string): string[] {
  return methodNames.filter(
    (m) =>
      new RegExp(`export\\s+(async\\s+)?function\\s+${m}\\b`).test(source) ||
      new RegExp(`export\\s+const\\s+${m}\\b`).test(source) ||
      new RegExp(`export\\s*\\{[^}]*\\bas\\s+${m}\\b[^}]*\\}`).test(source) ||
      new RegExp(`export\\s*\\{[^}]*\\b${m}\\b[^}]*\\}`).test(source),
  );
}

const files = walk(appDir);
const pages = files.filter((f) => /[/\\]page\.(tsx|ts|jsx|js)$/.test(f));
const routes = files.filter((f) => /[/\\]route\.(ts|js)$/.test(f));
const table = routePolicy as Record<string, TRoutePolicyEntry>;

describe("the route policy table", () => {
  it("finds the app's pages and routes (the walk itself works)", () => {
    expect(pages.length).toBeGreaterThan(5);
    expect(routes.length).toBeGreaterThan(5);
  });

  it.each(pages.map((f) => [relative(root, f), f]))("lists the page %s", (_name, file) => {
    const pattern = patternOf(file);
    if (pattern === null) return;
    expect(table[pattern], `add "${pattern}": { type: "page", access: … } to lib/auth/route-policy.ts`).toBeDefined();
    expect(table[pattern]!.type).toBe("page");
  });

  it.each(routes.map((f) => [relative(root, f), f]))("lists the route %s with every method it exports", (_name, file) => {
    const pattern = patternOf(file);
    if (pattern === null) return;
    const entry = table[pattern];
    expect(entry, `add "${pattern}": { type: "api", methods: { … } } to lib/auth/route-policy.ts`).toBeDefined();
    expect(entry!.type).toBe("api");
    const listed = Object.keys(entry!.type === "api" ? entry!.methods : {}).sort();
    expect(exportedMethods(readFileSync(file, "utf8")).sort(), `methods of ${pattern}`).toEqual(listed);
  });

  it.each(routes.filter((f) => relative(appDir, f).startsWith(`api${sep}v1${sep}`)).map((f) => [relative(root, f), f]))(
    "guards every method of %s with defineRoute, naming its own pattern",
    (_name, file) => {
      const source = readFileSync(file, "utf8");
      const pattern = patternOf(file)!;
      for (const method of exportedMethods(source)) {
        expect(source, `${method} ${pattern} must be \`export const ${method} = defineRoute("${pattern}", "${method}", …)\``).toMatch(
          new RegExp(`export\\s+const\\s+${method}\\s*=\\s*defineRoute(<[^>]*>)?\\(\\s*"${pattern.replace(/[[\]./]/g, "\\$&")}"\\s*,\\s*"${method}"`),
        );
      }
    },
  );

  it("has no entry for a page or route that does not exist", () => {
    const served = new Set([...pages, ...routes].map(patternOf).filter((p): p is string => p !== null));
    expect(Object.keys(table).filter((pattern) => !served.has(pattern))).toEqual([]);
  });

  it("matches URLs to the most specific pattern", () => {
    expect(findRoutePolicy("/api/v1/deployments")?.pattern).toBe("/api/v1/deployments");
    expect(findRoutePolicy("/api/v1/deployments/42")?.pattern).toBe("/api/v1/deployments/[id]");
    expect(findRoutePolicy("/api/v1/audit/export")?.pattern).toBe("/api/v1/audit/export");
    expect(findRoutePolicy("/api/auth/callback/gitlab")?.pattern).toBe("/api/auth/[...nextauth]");
    expect(findRoutePolicy("/deploys/abc")?.pattern).toBe("/deploys/[id]");
    expect(findRoutePolicy("/nope")).toBeNull();
  });

  it("places merge request, pipeline, build, delivery and account URLs, and keeps replay apart from a delivery", () => {
    expect(findRoutePolicy("/merge-requests/acme/team/payments-api/17")?.pattern).toBe("/merge-requests/[...ref]");
    expect(findRoutePolicy("/api/v1/merge-requests/acme/payments-api!17")?.pattern).toBe("/api/v1/merge-requests/[...ref]");
    expect(findRoutePolicy("/pipelines/acme/payments-api/1183467")?.pattern).toBe("/pipelines/[...ref]");
    expect(findRoutePolicy("/api/v1/builds/payments-api-deploy/981")?.pattern).toBe("/api/v1/builds/[pipeline]/[number]");
    expect(findRoutePolicy("/api/v1/deliveries/replay")?.pattern).toBe("/api/v1/deliveries/replay");
    expect(findRoutePolicy("/api/v1/deliveries/0b6f3c1e-0000-4000-8000-000000000000")?.pattern).toBe("/api/v1/deliveries/[id]");
    expect(findRoutePolicy("/accounts/buildkite/erin%40acme.test")?.pattern).toBe("/accounts/[system]/[key]");
  });

  it("lets every role read the provenance pages and their APIs, like the receipt, and nothing more", () => {
    for (const pattern of ["/merge-requests/[...ref]", "/pipelines/[...ref]", "/builds/[pipeline]/[number]", "/accounts/[system]/[key]", "/deploys/[id]"]) {
      expect(table[pattern], pattern).toEqual({ type: "page", access: "viewer" });
    }
    for (const pattern of ["/api/v1/merge-requests/[...ref]", "/api/v1/pipelines/[...ref]", "/api/v1/builds/[pipeline]/[number]", "/api/v1/deployments/[id]"]) {
      expect(table[pattern], pattern).toEqual({ type: "api", methods: { GET: "viewer" } });
    }
  });

  it("keeps evidence packs (raw deliveries) to auditors and admins", () => {
    expect(table["/api/v1/evidence"]).toEqual({ type: "api", methods: { GET: "auditor" } });
  });

  it("keeps raw delivery bodies (pipeline variables, build env, credential claims) to auditors and admins", () => {
    expect(table["/deliveries/[id]"]).toEqual({ type: "page", access: "auditor" });
    expect(table["/api/v1/deliveries/[id]"]).toEqual({ type: "api", methods: { GET: "auditor" } });
  });

  it("keeps webhooks and health off sessions: they are never role-protected", () => {
    for (const pattern of ["/api/health", "/api/webhooks/gitlab", "/api/webhooks/buildkite"]) {
      const entry = table[pattern]!;
      expect(entry.type).toBe("api");
      for (const access of Object.values(entry.type === "api" ? entry.methods : {})) expect(["public", "webhook-secret"]).toContain(access);
    }
  });
});
