import { z } from "zod";

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

export const ZEnv = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
    .optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  CUSTODY_DATA_DIR: z.string().min(1).default(".data"),
  CUSTODY_EMBEDDED: z.enum(["0", "1"]).default("0"),
  HOST: z.string().min(1).default("127.0.0.1"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  CUSTODY_LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  CUSTODY_DB_CONNECT_RETRIES: z.coerce.number().int().min(0).max(100).default(10),
  CUSTODY_WORKER: z.enum(["on", "off"]).default("on"),
  CUSTODY_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  CUSTODY_MAX_BODY_BYTES: bytes.default(5 * 1024 * 1024),
  GITLAB_WEBHOOK_SECRET: secretList,
  GITLAB_WEBHOOK_SIGNING_TOKEN: secretList,
  BUILDKITE_WEBHOOK_TOKEN: secretList,
  BUILDKITE_WEBHOOK_SIGNING_SECRET: secretList,
});

export type TEnv = z.infer<typeof ZEnv>;

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
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? "?");
    return `  ${name}: ${issue.message} (got ${JSON.stringify(source[name])})`;
  });
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
