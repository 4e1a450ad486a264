import "server-only";
import type { AuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import GitLabProvider from "next-auth/providers/gitlab";
import { getEnv } from "@/lib/env";
import { ZGitlabUserinfo } from "@/lib/contracts/gitlab-userinfo";
import { createSession } from "./create-session.ts";
import { isDemoMode } from "./is-demo-mode.ts";
import { mapGroupsToRole } from "./map-groups-to-role.ts";
import { revokeSession } from "./revoke-session.ts";
import { roleGroupsFromEnv } from "./role-groups-from-env.ts";
import { sessionCookieName } from "./session-cookie-name.ts";

/** What one sign-in request learns, for the audit entry written after next-auth answers. */
export type TSignInAttempt = {
  ip: string | null;
  userAgent: string | null;
  username?: string;
  subject?: string;
  groups?: string[];
  refusal?: string;
};

export const demoProviderId = "demo";

/**
 * next-auth's configuration for one request. With GITLAB_CLIENT_ID: GitLab's OIDC (scopes
 * `openid profile email`, PKCE + state + nonce, ID token checked for iss/aud), groups read from
 * /oauth/userinfo and mapped to a role; no allowed group sends the user to /no-access without a
 * session. Without it (demo mode): a one-click "local admin" credentials provider. Either way the
 * cookie holds only a server-side session id (JWT strategy, encrypted with NEXTAUTH_SECRET), so
 * sessions can be revoked, time out and be re-checked (lib/auth/get-session-principal.ts).
 */
export function buildAuthOptions(attempt: TSignInAttempt): AuthOptions {
  const env = getEnv();
  const demo = isDemoMode(env);
  const secure = env.NEXTAUTH_URL?.startsWith("https://") ?? false;
  const base = env.GITLAB_URL;

  const providers = demo
    ? [
        CredentialsProvider({
          id: demoProviderId,
          name: "Local admin (demo)",
          credentials: {},
          async authorize() {
            return { id: "local-admin", name: "Local admin", email: null };
          },
        }),
      ]
    : [
        GitLabProvider({
          clientId: env.GITLAB_CLIENT_ID ?? "",
          clientSecret: env.GITLAB_CLIENT_SECRET ?? "",
          issuer: base,
          authorization: { url: `${base}/oauth/authorize`, params: { scope: "openid profile email" } },
          token: `${base}/oauth/token`,
          jwks_endpoint: `${base}/oauth/discovery/keys`,
          idToken: true,
          checks: ["pkce", "state", "nonce"],
          // Groups are only in userinfo, never in GitLab's ID token.
          userinfo: {
            url: `${base}/oauth/userinfo`,
            async request({ tokens, client }) {
              return client.userinfo(tokens.access_token ?? "");
            },
          },
          profile(raw) {
            const info = ZGitlabUserinfo.parse(raw);
            return { id: info.sub, name: info.name ?? info.nickname ?? info.sub, email: info.email ?? null, image: info.picture ?? null };
          },
        }),
      ];

  return {
    secret: env.NEXTAUTH_SECRET,
    providers,
    session: { strategy: "jwt", maxAge: env.CUSTODY_SESSION_MAX_AGE },
    jwt: { maxAge: env.CUSTODY_SESSION_MAX_AGE },
    useSecureCookies: secure,
    cookies: {
      sessionToken: { name: sessionCookieName(), options: { httpOnly: true, sameSite: "lax", path: "/", secure } },
    },
    pages: { signIn: "/sign-in", error: "/sign-in" },
    callbacks: {
      async signIn({ account, profile }) {
        if (account?.provider === demoProviderId) return demo;
        const info = ZGitlabUserinfo.safeParse(profile);
        if (!info.success) {
          attempt.refusal = "GitLab userinfo was not in the expected shape";
          return false;
        }
        attempt.subject = info.data.sub;
        attempt.username = info.data.nickname ?? info.data.preferred_username ?? info.data.sub;
        attempt.groups = info.data.groups;
        if (!mapGroupsToRole(info.data.groups, roleGroupsFromEnv())) {
          attempt.refusal = "no allowed GitLab group";
          return "/no-access";
        }
        return true;
      },
      async jwt({ token, account, profile, trigger }) {
        if ((trigger !== "signIn" && trigger !== "signUp") || !account) return token;
        if (account.provider === demoProviderId) {
          const { sessionId } = await createSession({
            identity: { provider: "demo", subject: "local-admin", username: "local-admin", name: "Local admin", email: null, groups: [], role: "admin" },
            ip: attempt.ip,
            userAgent: attempt.userAgent,
          });
          attempt.username = "local-admin";
          return { sid: sessionId };
        }
        const info = ZGitlabUserinfo.parse(profile);
        const role = mapGroupsToRole(info.groups, roleGroupsFromEnv());
        if (!role) throw new Error("no allowed GitLab group");
        const { sessionId } = await createSession({
          identity: {
            provider: "gitlab",
            subject: info.sub,
            username: info.nickname ?? info.preferred_username ?? info.sub,
            name: info.name ?? null,
            email: info.email ?? null,
            groups: info.groups,
            role,
          },
          gitlab: {
            accessToken: account.access_token ?? "",
            refreshToken: account.refresh_token ?? null,
            expiresAt: account.expires_at ? new Date(account.expires_at * 1000) : null,
          },
          ip: attempt.ip,
          userAgent: attempt.userAgent,
        });
        // The cookie carries the session id only; roles and tokens stay on the server.
        return { sid: sessionId };
      },
      async session({ session }) {
        return { expires: session.expires };
      },
    },
    events: {
      async signOut({ token }) {
        if (typeof token?.sid !== "string") return;
        await revokeSession({ sessionId: token.sid, action: "sign_out", ip: attempt.ip, userAgent: attempt.userAgent });
      },
    },
  };
}
