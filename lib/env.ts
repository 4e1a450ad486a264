import { existsSync, readFileSync } from "node:fs";
import { z } from "zod";
import { ZApprovalPolicyConfig } from "./contracts/approval-policy.ts";

/**
 * Every setting Custody reads. This is the only module that reads process.env; `.env.example`
 * lists the same names (a test keeps them in sync). A bad value fails at startup with the
 * variable's name and what is expected.
 */

const secretList = z
  .string()
  .optional()
  .transform((value) => (value ?? "").split(",").map((s) => s.trim()).filter(Boolean));

const bytes = z.coerce.number().int().positive();

const groupList = z
  .string()
  .optional()
  .transform((value) => (value ?? "").split(",").map((s) => s.trim()).filter(Boolean))
  .pipe(z.array(z.string().regex(/^[\w.-]+(\/[\w.-]+)*$/, "must be full GitLab group paths like acme/platform, comma-separated")));

const durationPattern = /^(\d+)(s|m|h|d)$/;
const unitSeconds = { s: 1, m: 60, h: 3600, d: 86400 } as const;

/** A duration such as 30s, 5m, 8h or 90d, parsed to seconds and kept within [min, max]. */
const duration = (fallback: string, min: number, max: number) =>
  z
    .string()
    .default(fallback)
    .transform((value, ctx) => {
      const match = durationPattern.exec(value.trim());
      const seconds = match ? Number(match[1]) * unitSeconds[match[2] as keyof typeof unitSeconds] : NaN;
      if (!(seconds >= min && seconds <= max)) {
        ctx.addIssue({ code: "custom", message: `must be a duration like 30s, 5m, 8h or 2d, between ${min} s and ${max} s` });
        return z.NEVER;
      }
      return seconds;
    });

/** Inline JSON, or the path of a JSON file, validated against ZApprovalPolicyConfig; unset means the safe defaults. */
const approvalPolicy = z
  .string()
  .optional()
  .transform((value, ctx) => {
    const text = value?.trim();
    if (!text) return { source: "built-in defaults", config: ZApprovalPolicyConfig.parse({}) };
    let raw: string;
    if (text.startsWith("{")) raw = text;
    else if (existsSync(text)) raw = readFileSync(text, "utf8");
    else {
      ctx.addIssue({ code: "custom", message: "must be inline JSON or the path of a readable JSON file" });
      return z.NEVER;
    }
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (error) {
      ctx.addIssue({ code: "custom", message: `is not valid JSON (${(error as Error).message})` });
      return z.NEVER;
    }
    const parsed = ZApprovalPolicyConfig.safeParse(json);
    if (!parsed.success) {
      ctx.addIssue({ code: "custom", message: parsed.error.issues.map((i) => `${i.path.join(".") || "policy"}: ${i.message}`).join("; ") });
      return z.NEVER;
    }
    return { source: text.startsWith("{") ? "CUSTODY_APPROVAL_POLICY" : text, config: parsed.data };
  });

/** The exact phrase that lets demo mode (anyone can sign in as admin) run exposed or in production. */
export const insecureDemoOverride = "i-understand-anyone-can-sign-in-as-admin";

export const ZEnv = z.object({
  // No default: `custody start` treats only an explicitly set NODE_ENV=production as production (next start
  // always runs the server itself in production mode).
  NODE_ENV: z.enum(["development", "production", "test"]).optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
    .optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  CUSTODY_REPORT_CONNECTIONS: z.coerce.number().int().min(1).max(50).default(5),
  CUSTODY_DATA_DIR: z.string().min(1).default(".data"),
  CUSTODY_EMBEDDED: z.enum(["0", "1"]).default("0"),
  CUSTODY_PARENT_PID: z.coerce.number().int().positive().optional(),
  HOST: z.string().min(1).default("127.0.0.1"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  CUSTODY_LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  CUSTODY_DB_CONNECT_RETRIES: z.coerce.number().int().min(0).max(100).default(10),
  CUSTODY_WORKER: z.enum(["on", "off"]).default("on"),
  CUSTODY_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  CUSTODY_WORKER_BATCH: z.coerce.number().int().min(1).max(500).default(20),
  CUSTODY_MAX_BODY_BYTES: bytes.default(5 * 1024 * 1024),
  GITLAB_WEBHOOK_SECRET: secretList,
  GITLAB_WEBHOOK_SIGNING_TOKEN: secretList,
  BUILDKITE_WEBHOOK_TOKEN: secretList,
  BUILDKITE_WEBHOOK_SIGNING_SECRET: secretList,
  CUSTODY_INGEST_TOKEN: secretList,
  CUSTODY_OIDC_ISSUERS: secretList,
  CUSTODY_CREDENTIAL_MAX_LIFETIME: duration("1h", 1, 7 * 86_400),
  CUSTODY_CREDENTIAL_AUDIENCES: secretList,
  GITLAB_URL: z
    .url({ protocol: /^https?$/, error: "must be the http(s) URL of the GitLab instance, e.g. https://gitlab.com" })
    .default("https://gitlab.com")
    .transform((v) => v.replace(/\/+$/, "")),
  GITLAB_CLIENT_ID: z.string().min(1).optional(),
  GITLAB_CLIENT_SECRET: z.string().min(1).optional(),
  NEXTAUTH_URL: z
    .url({ protocol: /^https?$/, error: "must be the public http(s) URL of Custody, e.g. https://custody.example.com" })
    .optional()
    .transform((v) => v?.replace(/\/+$/, "")),
  NEXTAUTH_SECRET: z.string().min(32, "must be at least 32 characters (e.g. `openssl rand -base64 32`)").optional(),
  CUSTODY_ADMIN_GROUPS: groupList,
  CUSTODY_APPROVER_GROUPS: groupList,
  CUSTODY_AUDITOR_GROUPS: groupList,
  CUSTODY_VIEWER_GROUPS: groupList,
  CUSTODY_SESSION_MAX_AGE: duration("8h", 60, 7 * 86400),
  CUSTODY_SESSION_IDLE_TIMEOUT: duration("1h", 60, 7 * 86400),
  CUSTODY_ROLE_RECHECK_INTERVAL: duration("5m", 1, 3600),
  CUSTODY_SIGNIN_RATE_LIMIT: z.coerce.number().int().min(1).max(100_000).default(20),
  CUSTODY_TOKEN_RATE_LIMIT: z.coerce.number().int().min(1).max(1_000_000).default(600),
  CUSTODY_TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  BUILDKITE_API_URL: z
    .url({ protocol: /^https?$/, error: "must be the http(s) URL of the Buildkite REST API, e.g. https://api.buildkite.com" })
    .default("https://api.buildkite.com")
    .transform((v) => v.replace(/\/+$/, "")),
  BUILDKITE_API_TOKEN: z.string().min(1).optional(),
  BUILDKITE_ORG: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "must be the organization slug as in buildkite.com/<slug>").optional(),
  BUILDKITE_API_TIMEOUT: duration("10s", 1, 120),
  CUSTODY_APPROVAL_POLICY: approvalPolicy,
  GITLAB_API_TOKEN: z.string().min(1).optional(),
  GITLAB_BACKFILL_PROJECTS: z
    .string()
    .optional()
    .transform((value) => (value ?? "").split(",").map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^[\w.-]+(\/[\w.-]+)*$/, "must be GitLab project or group paths like acme/payments-api or acme, comma-separated"))),
  BUILDKITE_BACKFILL_PIPELINES: z
    .string()
    .optional()
    .transform((value) => (value ?? "").split(",").map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "must be Buildkite pipeline slugs, comma-separated"))),
  CUSTODY_RECONCILE_INTERVAL: z
    .string()
    .default("15m")
    .transform((value, ctx) => {
      if (value.trim() === "0") return 0;
      const match = durationPattern.exec(value.trim());
      const seconds = match ? Number(match[1]) * unitSeconds[match[2] as keyof typeof unitSeconds] : NaN;
      if (!(seconds >= 60 && seconds <= 86_400)) {
        ctx.addIssue({ code: "custom", message: "must be 0 (off) or a duration like 15m, between 1 minute and 1 day" });
        return z.NEVER;
      }
      return seconds;
    }),
  CUSTODY_SIGNING_KEY: z.string().min(1).optional(),
  CUSTODY_CHECKPOINT_INTERVAL: duration("1h", 10, 7 * 86_400),
  CUSTODY_EXPORT_RETENTION: duration("7d", 3600, 366 * 86_400),
  CUSTODY_ALLOW_INSECURE_DEMO: z
    .literal(insecureDemoOverride, { error: `must be exactly "${insecureDemoOverride}" or unset` })
    .optional(),
});

export type TEnv = z.infer<typeof ZEnv>;

/** Rules between settings: GitLab sign-in needs its secret, Custody's public URL, a session secret and a group. */
function crossFieldIssues(env: TEnv): { name: keyof TEnv; message: string }[] {
  const issues: { name: keyof TEnv; message: string }[] = [];
  if (env.GITLAB_CLIENT_ID) {
    const required = "is required when GITLAB_CLIENT_ID is set (GitLab sign-in)";
    if (!env.GITLAB_CLIENT_SECRET) issues.push({ name: "GITLAB_CLIENT_SECRET", message: required });
    if (!env.NEXTAUTH_URL) issues.push({ name: "NEXTAUTH_URL", message: required });
    if (!env.NEXTAUTH_SECRET) issues.push({ name: "NEXTAUTH_SECRET", message: required });
    const groups = [env.CUSTODY_ADMIN_GROUPS, env.CUSTODY_APPROVER_GROUPS, env.CUSTODY_AUDITOR_GROUPS, env.CUSTODY_VIEWER_GROUPS];
    if (groups.every((list) => list.length === 0)) {
      issues.push({ name: "CUSTODY_ADMIN_GROUPS", message: "at least one of CUSTODY_{ADMIN,APPROVER,AUDITOR,VIEWER}_GROUPS must list a GitLab group, or nobody can sign in" });
    }
  }
  if (env.CUSTODY_SESSION_IDLE_TIMEOUT > env.CUSTODY_SESSION_MAX_AGE) {
    issues.push({ name: "CUSTODY_SESSION_IDLE_TIMEOUT", message: "must not be longer than CUSTODY_SESSION_MAX_AGE" });
  }
  return issues;
}

/** Names of every setting, in the order `.env.example` lists them. */
export const envNames = Object.keys(ZEnv.shape) as (keyof TEnv)[];

export class ConfigError extends Error {}

/** Parses a given environment; throws ConfigError naming each bad variable and what it expects. */
export function parseEnv(source: Record<string, string | undefined>): TEnv {
  const cleaned: Record<string, string | undefined> = {};
  for (const name of envNames) {
    const value = source[name];
    cleaned[name] = value === "" ? undefined : value;
  }
  const result = ZEnv.safeParse(cleaned);
  const issues = result.success
    ? crossFieldIssues(result.data)
    : result.error.issues.map((issue) => ({ name: String(issue.path[0] ?? "?"), message: issue.message }));
  if (result.success && issues.length === 0) return result.data;
  // Secrets are named, never echoed.
  const shown = (name: string) => (/SECRET|TOKEN/.test(name) && source[name] ? "(hidden)" : JSON.stringify(source[name]));
  const lines = issues.map(({ name, message }) => `  ${name}: ${message} (got ${shown(String(name))})`);
  throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
}

let cached: TEnv | undefined;

/** The validated environment of this process (parsed once). */
export function getEnv(): TEnv {
  cached ??= parseEnv(process.env);
  return cached;
}

/** Test hook: forget the cached environment after a test changed process.env. */
export function resetEnvCache(): void {
  cached = undefined;
}
