import { describe, expect, it } from "vitest";
import { ConfigError, parseEnv } from "@/lib/env";
import { isDemoMode } from "@/lib/auth/is-demo-mode";

const sso = {
  GITLAB_URL: "https://gitlab.example.com/",
  GITLAB_CLIENT_ID: "app-id",
  GITLAB_CLIENT_SECRET: "gloas-super-secret-value",
  NEXTAUTH_URL: "https://custody.example.com",
  NEXTAUTH_SECRET: "x".repeat(32),
  CUSTODY_VIEWER_GROUPS: "acme/developers, acme/qa",
};

describe("sign-in configuration", () => {
  it("with nothing set, Custody is in demo mode with short sessions and a 5-minute role re-check", () => {
    const env = parseEnv({});
    expect(isDemoMode(env)).toBe(true);
    expect(env.GITLAB_URL).toBe("https://gitlab.com");
    expect(env.CUSTODY_SESSION_MAX_AGE).toBe(8 * 3600);
    expect(env.CUSTODY_SESSION_IDLE_TIMEOUT).toBe(3600);
    expect(env.CUSTODY_ROLE_RECHECK_INTERVAL).toBe(300);
    expect(env.NODE_ENV).toBeUndefined();
  });

  it("GitLab sign-in parses groups as full paths and trims the instance URL", () => {
    const env = parseEnv(sso);
    expect(isDemoMode(env)).toBe(false);
    expect(env.GITLAB_URL).toBe("https://gitlab.example.com");
    expect(env.CUSTODY_VIEWER_GROUPS).toEqual(["acme/developers", "acme/qa"]);
    expect(env.CUSTODY_ADMIN_GROUPS).toEqual([]);
  });

  it("GitLab sign-in without its secret, public URL, session secret or any group is refused at startup, naming each", () => {
    let message = "";
    try {
      parseEnv({ GITLAB_CLIENT_ID: "app-id" });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    for (const name of ["GITLAB_CLIENT_SECRET", "NEXTAUTH_URL", "NEXTAUTH_SECRET", "CUSTODY_ADMIN_GROUPS"]) expect(message).toContain(`${name}:`);
  });

  it("bad values name the variable and never echo a secret", () => {
    expect(() => parseEnv({ ...sso, NEXTAUTH_SECRET: "short-secret" })).toThrow(/NEXTAUTH_SECRET: must be at least 32 characters .* \(got \(hidden\)\)/);
    expect(() => parseEnv({ ...sso, CUSTODY_VIEWER_GROUPS: "acme developers" })).toThrow(/CUSTODY_VIEWER_GROUPS: must be full GitLab group paths/);
    expect(() => parseEnv({ CUSTODY_SESSION_MAX_AGE: "8 hours" })).toThrow(/CUSTODY_SESSION_MAX_AGE: must be a duration/);
    expect(() => parseEnv({ CUSTODY_ROLE_RECHECK_INTERVAL: "2h" })).toThrow(/CUSTODY_ROLE_RECHECK_INTERVAL/);
    expect(() => parseEnv({ CUSTODY_SESSION_MAX_AGE: "1h", CUSTODY_SESSION_IDLE_TIMEOUT: "2h" })).toThrow(/CUSTODY_SESSION_IDLE_TIMEOUT: must not be longer/);
    expect(() => parseEnv({ ...sso, NEXTAUTH_URL: "custody.example.com" })).toThrow(/NEXTAUTH_URL/);
  });

  it("the demo-mode override is one exact, loudly named phrase", () => {
    expect(parseEnv({ CUSTODY_ALLOW_INSECURE_DEMO: "i-understand-anyone-can-sign-in-as-admin" }).CUSTODY_ALLOW_INSECURE_DEMO).toBeDefined();
    expect(() => parseEnv({ CUSTODY_ALLOW_INSECURE_DEMO: "yes" })).toThrow(/CUSTODY_ALLOW_INSECURE_DEMO: must be exactly "i-understand-anyone-can-sign-in-as-admin"/);
  });
});
