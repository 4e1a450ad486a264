import { describe, expect, it } from "vitest";
import { matchRoutePattern } from "./match-route-pattern.ts";

describe("matchRoutePattern", () => {
  it("matches static paths exactly, ignoring a trailing slash", () => {
    expect(matchRoutePattern("/", "/")).toBe(true);
    expect(matchRoutePattern("/settings", "/settings")).toBe(true);
    expect(matchRoutePattern("/settings", "/settings/")).toBe(true);
    expect(matchRoutePattern("/settings", "/settings/x")).toBe(false);
    expect(matchRoutePattern("/", "/settings")).toBe(false);
  });

  it("a dynamic segment matches exactly one segment", () => {
    expect(matchRoutePattern("/api/v1/deployments/[id]", "/api/v1/deployments/abc")).toBe(true);
    expect(matchRoutePattern("/api/v1/deployments/[id]", "/api/v1/deployments")).toBe(false);
    expect(matchRoutePattern("/api/v1/deployments/[id]", "/api/v1/deployments/a/b")).toBe(false);
  });

  it("a catch-all needs one or more segments; an optional catch-all takes zero or more", () => {
    expect(matchRoutePattern("/api/auth/[...nextauth]", "/api/auth/signin/gitlab")).toBe(true);
    expect(matchRoutePattern("/api/auth/[...nextauth]", "/api/auth")).toBe(false);
    expect(matchRoutePattern("/docs/[[...slug]]", "/docs")).toBe(true);
    expect(matchRoutePattern("/docs/[[...slug]]", "/docs/a/b")).toBe(true);
  });
});
