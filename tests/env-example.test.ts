import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, envNames, parseEnv } from "@/lib/env";

const example = readFileSync(join(import.meta.dirname, "..", ".env.example"), "utf8");
const exampleNames = example
  .split("\n")
  .filter((line) => /^[A-Z][A-Z0-9_]*=/.test(line))
  .map((line) => line.slice(0, line.indexOf("=")));

describe("configuration", () => {
  it(".env.example lists exactly the settings lib/env.ts reads, each with a comment", () => {
    expect([...exampleNames].sort()).toEqual([...envNames].sort());
    const lines = example.split("\n");
    for (const name of exampleNames) {
      const index = lines.findIndex((line) => line.startsWith(`${name}=`));
      const commentAbove = lines.slice(0, index).reverse().find((line) => !/^[A-Z][A-Z0-9_]*=/.test(line));
      expect(commentAbove?.startsWith("#"), `${name} needs a comment`).toBe(true);
    }
  });

  it("the defaults of .env.example parse", () => {
    const values = Object.fromEntries(
      example
        .split("\n")
        .filter((line) => /^[A-Z][A-Z0-9_]*=/.test(line))
        .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
    );
    expect(() => parseEnv(values)).not.toThrow();
  });

  it("an empty environment gives the embedded defaults", () => {
    const env = parseEnv({});
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.HOST).toBe("127.0.0.1");
    expect(env.PORT).toBe(3000);
    expect(env.CUSTODY_DATA_DIR).toBe(".data");
    expect(env.CUSTODY_MAX_BODY_BYTES).toBe(5 * 1024 * 1024);
  });

  it("a bad value is refused with the variable's name and what is expected", () => {
    expect(() => parseEnv({ PORT: "eighty" })).toThrow(ConfigError);
    expect(() => parseEnv({ PORT: "eighty" })).toThrow(/PORT: .*number.*"eighty"/);
    expect(() => parseEnv({ DATABASE_URL: "mysql://x" })).toThrow(/DATABASE_URL: must be a postgres/);
    expect(() => parseEnv({ CUSTODY_WORKER: "maybe" })).toThrow(/CUSTODY_WORKER/);
  });

  it("secret lists split on commas so secrets rotate without downtime", () => {
    const env = parseEnv({ GITLAB_WEBHOOK_SECRET: "old-secret, new-secret,," });
    expect(env.GITLAB_WEBHOOK_SECRET).toEqual(["old-secret", "new-secret"]);
  });
  it("CUSTODY_APPROVAL_POLICY takes inline JSON or a file and names what is wrong", () => {
    expect(parseEnv({}).CUSTODY_APPROVAL_POLICY.config).toEqual({ defaults: {}, rules: [] });
    const inline = parseEnv({ CUSTODY_APPROVAL_POLICY: '{"rules":[{"pipeline":"deploy-api","environment":"production","requiredApprovals":2}]}' });
    expect(inline.CUSTODY_APPROVAL_POLICY.config.rules[0]).toMatchObject({ requiredApprovals: 2 });
    expect(() => parseEnv({ CUSTODY_APPROVAL_POLICY: '{"rules":[{"requiredApprovals":0}]}' })).toThrow(/CUSTODY_APPROVAL_POLICY: rules.0.requiredApprovals/);
    expect(() => parseEnv({ CUSTODY_APPROVAL_POLICY: "/nonexistent/policy.json" })).toThrow(/CUSTODY_APPROVAL_POLICY: must be inline JSON or the path of a readable JSON file/);
    expect(() => parseEnv({ CUSTODY_APPROVAL_POLICY: "{not json" })).toThrow(/CUSTODY_APPROVAL_POLICY: is not valid JSON/);
    expect(parseEnv({ CUSTODY_APPROVAL_POLICY: join(import.meta.dirname, "..", "examples", "approval-policy.json") }).CUSTODY_APPROVAL_POLICY.config.rules.length).toBeGreaterThan(0);
  });
});
