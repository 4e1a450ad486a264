import { afterAll, describe, expect, it } from "vitest";
import { closeDb } from "@/lib/db";
import { buildAuthOptions } from "@/lib/auth/build-auth-options";
import { configureAuth } from "../support/auth-fixtures.ts";

const gitlab = { GITLAB_URL: "https://gitlab.example.com", GITLAB_CLIENT_ID: "id", GITLAB_CLIENT_SECRET: "secret", CUSTODY_VIEWER_GROUPS: "acme" };
const attempt = { ip: null, userAgent: null };

afterAll(async () => {
  await closeDb();
});

describe("next-auth configuration", () => {
  it("behind https, the session cookie is __Host- prefixed, Secure, HttpOnly and SameSite=Lax, and next-auth's own cookies are secure", () => {
    configureAuth({ ...gitlab, NEXTAUTH_URL: "https://custody.example.com" });
    const options = buildAuthOptions(attempt);
    expect(options.useSecureCookies).toBe(true);
    expect(options.cookies?.sessionToken).toEqual({
      name: "__Host-custody.session-token",
      options: { httpOnly: true, sameSite: "lax", path: "/", secure: true },
    });
  });

  it("on plain http (loopback demo, tests) the cookie cannot carry the __Host- prefix", () => {
    configureAuth({ NEXTAUTH_URL: "http://127.0.0.1:3000" });
    const options = buildAuthOptions(attempt);
    expect(options.useSecureCookies).toBe(false);
    expect(options.cookies?.sessionToken?.name).toBe("custody.session-token");
  });

  it("GitLab sign-in asks for openid profile email, with PKCE, state and nonce, and reads groups from userinfo", () => {
    configureAuth(gitlab);
    const [provider] = buildAuthOptions(attempt).providers as unknown as [{ id: string; options: Record<string, unknown> }];
    expect(provider.id).toBe("gitlab");
    expect(provider.options).toMatchObject({
      issuer: "https://gitlab.example.com",
      authorization: { url: "https://gitlab.example.com/oauth/authorize", params: { scope: "openid profile email" } },
      token: "https://gitlab.example.com/oauth/token",
      jwks_endpoint: "https://gitlab.example.com/oauth/discovery/keys",
      idToken: true,
      checks: ["pkce", "state", "nonce"],
      userinfo: { url: "https://gitlab.example.com/oauth/userinfo" },
    });
  });

  it("sessions last CUSTODY_SESSION_MAX_AGE, and the cookie carries no roles or tokens", async () => {
    configureAuth({ ...gitlab, CUSTODY_SESSION_MAX_AGE: "4h" });
    const options = buildAuthOptions(attempt);
    expect(options.session).toMatchObject({ strategy: "jwt", maxAge: 4 * 3600 });
    expect(await options.callbacks!.session!({ session: { expires: "x", user: { name: "a" } }, token: { sid: "s" } } as never)).toEqual({ expires: "x" });
  });

  it("without GitLab sign-in the only provider is the one-click demo admin; with it, there is no demo provider", () => {
    // next-auth merges a provider's options over its defaults when it starts.
    const ids = () => buildAuthOptions(attempt).providers.map((p) => (p as { options?: { id?: string } }).options?.id ?? p.id);
    configureAuth();
    expect(ids()).toEqual(["demo"]);
    configureAuth(gitlab);
    expect(ids()).toEqual(["gitlab"]);
  });

  it("a GitLab user in no allowed group is sent to /no-access without a session", async () => {
    configureAuth(gitlab);
    const seen = { ...attempt } as Parameters<typeof buildAuthOptions>[0];
    const result = await buildAuthOptions(seen).callbacks!.signIn!({ account: { provider: "gitlab" }, profile: { sub: "9", nickname: "erin", groups: ["other"] } } as never);
    expect(result).toBe("/no-access");
    expect(seen).toMatchObject({ username: "erin", subject: "9", refusal: "no allowed GitLab group" });
  });
});
