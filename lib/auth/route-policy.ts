import type { TRole } from "@/lib/contracts/roles";

/**
 * Who may use each route: the single source of truth for access. Keys are App Router patterns
 * (route groups removed). Pages name the role needed to open them; API routes name one per method.
 *
 * - a role: a session or an API token whose role carries that role's rights (lib/shared/role-allows.ts)
 * - "public": anyone; says nothing sensitive
 * - "sign-in": next-auth's own endpoints (protected by its CSRF token, rate-limited)
 * - "webhook-secret" / "ingest-token": the sender proves itself with its own secret, never a session
 *
 * tests/auth/route-policy.test.ts fails when a page or route file is missing here, and
 * e2e/route-policy.api.spec.ts walks every entry against every kind of caller.
 * Deliberately not `server-only`: the proxy and the end-to-end tests read it too.
 */
export type TAccess = TRole | "public" | "sign-in" | "webhook-secret" | "ingest-token";
export type TMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
export type TRoutePolicyEntry = { type: "page"; access: TAccess } | { type: "api"; methods: Partial<Record<TMethod, TAccess>> };

export const routePolicy = {
  // Pages
  "/": { type: "page", access: "viewer" },
  "/timeline": { type: "page", access: "viewer" },
  "/deploys": { type: "page", access: "viewer" },
  "/deploys/[id]": { type: "page", access: "viewer" },
  "/people": { type: "page", access: "viewer" },
  "/people/[id]": { type: "page", access: "viewer" },
  "/merge-requests/[...ref]": { type: "page", access: "viewer" },
  "/pipelines/[...ref]": { type: "page", access: "viewer" },
  "/builds/[pipeline]/[number]": { type: "page", access: "viewer" },
  // Raw bodies can carry pipeline variables, build env and credential claims: auditors and admins only.
  "/deliveries/[id]": { type: "page", access: "auditor" },
  "/accounts/[system]/[key]": { type: "page", access: "viewer" },
  "/approvals": { type: "page", access: "viewer" },
  "/reports": { type: "page", access: "auditor" },
  "/ingest": { type: "page", access: "viewer" },
  "/settings": { type: "page", access: "admin" },
  "/sign-in": { type: "page", access: "public" },
  "/no-access": { type: "page", access: "public" },

  // Public and sender-authenticated API
  "/api/health": { type: "api", methods: { GET: "public" } },
  "/api/auth/[...nextauth]": { type: "api", methods: { GET: "sign-in", POST: "sign-in" } },
  "/api/webhooks/gitlab": { type: "api", methods: { POST: "webhook-secret" } },
  "/api/webhooks/buildkite": { type: "api", methods: { POST: "webhook-secret" } },
  "/api/ingest/credentials": { type: "api", methods: { POST: "ingest-token" } },

  // /api/v1: a session or `Authorization: Bearer <token>`
  "/api/v1/me": { type: "api", methods: { GET: "viewer" } },
  "/api/v1/deployments": { type: "api", methods: { GET: "viewer" } },
  "/api/v1/deployments/[id]": { type: "api", methods: { GET: "viewer" } },
  "/api/v1/timeline": { type: "api", methods: { GET: "viewer" } },
  "/api/v1/merge-requests/[...ref]": { type: "api", methods: { GET: "viewer" } },
  "/api/v1/pipelines/[...ref]": { type: "api", methods: { GET: "viewer" } },
  "/api/v1/builds/[pipeline]/[number]": { type: "api", methods: { GET: "viewer" } },
  "/api/v1/builds/[pipeline]/[number]/provenance": { type: "api", methods: { GET: "viewer" } },
  "/api/v1/deliveries/[id]": { type: "api", methods: { GET: "auditor" } },
  "/api/v1/people": { type: "api", methods: { GET: "viewer" } },
  "/api/v1/people/[id]": { type: "api", methods: { GET: "viewer" } },
  "/api/v1/people/links": { type: "api", methods: { GET: "admin", POST: "admin" } },
  "/api/v1/people/links/[accountId]": { type: "api", methods: { DELETE: "admin" } },
  "/api/v1/backfills": { type: "api", methods: { GET: "admin", POST: "admin" } },
  "/api/v1/backfills/[id]": { type: "api", methods: { GET: "admin" } },
  "/api/v1/stream": { type: "api", methods: { GET: "viewer" } },
  "/api/v1/audit": { type: "api", methods: { GET: "auditor" } },
  "/api/v1/audit/export": { type: "api", methods: { GET: "auditor" } },
  "/api/v1/reports/change-management": { type: "api", methods: { GET: "auditor" } },
  "/api/v1/reports/credentials": { type: "api", methods: { GET: "auditor" } },
  "/api/v1/reports/completeness": { type: "api", methods: { GET: "auditor" } },
  "/api/v1/evidence": { type: "api", methods: { GET: "auditor" } },
  // Each export is visible only to its requester and admins (checked in lib/exports).
  "/api/v1/exports": { type: "api", methods: { GET: "auditor", POST: "auditor" } },
  "/api/v1/exports/[id]": { type: "api", methods: { GET: "auditor" } },
  "/api/v1/exports/[id]/download": { type: "api", methods: { GET: "auditor" } },
  "/api/v1/tokens": { type: "api", methods: { GET: "admin", POST: "admin" } },
  "/api/v1/tokens/[id]": { type: "api", methods: { DELETE: "admin" } },
  "/api/v1/sessions": { type: "api", methods: { GET: "admin" } },
  "/api/v1/sessions/[id]": { type: "api", methods: { DELETE: "admin" } },
  "/api/v1/deliveries/replay": { type: "api", methods: { POST: "admin" } },
  "/api/v1/approvals": { type: "api", methods: { GET: "viewer" } },
  "/api/v1/approvals/[id]/approve": { type: "api", methods: { POST: "approver" } },
  "/api/v1/approvals/[id]/decline": { type: "api", methods: { POST: "approver" } },
} as const satisfies Record<string, TRoutePolicyEntry>;

export type TRoutePattern = keyof typeof routePolicy;
