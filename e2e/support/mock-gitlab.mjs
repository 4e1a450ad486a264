// A local OpenID provider that behaves like GitLab's OAuth/OIDC side for end-to-end tests: GitLab's
// paths (/oauth/authorize, /oauth/token, /oauth/userinfo, /oauth/discovery/keys, /oauth/revoke,
// /.well-known/openid-configuration), a GitLab-like login form, numeric `sub`, `nickname`, and the
// `groups` claim (full paths) served from userinfo only, as GitLab does (see
// /work/shared/reference/gitlab.md §5). Access tokens live 2 h on GitLab; here their lifetime is
// MOCK_GITLAB_ACCESS_TOKEN_TTL seconds so tests can exercise refresh. Refresh tokens rotate.
//
// Test-only control endpoints under /__mock (this server is never part of the product):
//   PUT  /__mock/users/:username  {"groups": [...]} and/or {"blocked": true}
//   POST /__mock/reset            restore the fixture users
//   GET  /__mock/stats            counters of token and userinfo calls
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { createServer } from "node:http";
import { URLSearchParams } from "node:url";
import Provider from "oidc-provider";

const port = Number(process.env.MOCK_GITLAB_PORT ?? 4010);
const issuer = `http://127.0.0.1:${port}`;
const clientId = process.env.MOCK_GITLAB_CLIENT_ID ?? "custody-e2e";
const clientSecret = process.env.MOCK_GITLAB_CLIENT_SECRET ?? "custody-e2e-secret";
const redirectUris = (process.env.MOCK_GITLAB_REDIRECT_URIS ?? "http://127.0.0.1:3100/api/auth/callback/gitlab").split(",");
const accessTokenTtl = Number(process.env.MOCK_GITLAB_ACCESS_TOKEN_TTL ?? 7200);

/** Fixture users; password is "password" for all of them. */
const fixtures = [
  { id: "101", username: "alice", name: "Alice Admin", groups: ["acme", "acme/platform-admins"] },
  { id: "102", username: "bob", name: "Bob Approver", groups: ["acme", "acme/release-leads"] },
  { id: "103", username: "carol", name: "Carol Auditor", groups: ["acme", "acme/compliance"] },
  { id: "104", username: "dave", name: "Dave Viewer", groups: ["acme", "acme/developers"] },
  { id: "105", username: "erin", name: "Erin Outsider", groups: ["other-org", "other-org/web"] },
  { id: "106", username: "frank", name: "Frank Leaver", groups: ["acme", "acme/developers"] },
  { id: "107", username: "gina", name: "Gina Blocked", groups: ["acme", "acme/developers"] },
];
let users = new Map();
function resetUsers() {
  users = new Map(fixtures.map((u) => [u.id, { ...u, groups: [...u.groups], blocked: false }]));
}
resetUsers();
const stats = { tokenRequests: 0, refreshGrants: 0, userinfoRequests: 0 };

const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: "jwk" }), kid: "mock-gitlab-1", alg: "RS256", use: "sig" };

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uris: redirectUris,
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
    },
  ],
  jwks: { keys: [signingKey] },
  routes: {
    authorization: "/oauth/authorize",
    token: "/oauth/token",
    userinfo: "/oauth/userinfo",
    jwks: "/oauth/discovery/keys",
    revocation: "/oauth/revoke",
    introspection: "/oauth/introspect",
    end_session: "/oauth/logout",
  },
  scopes: ["openid", "profile", "email", "read_user", "read_api", "offline_access"],
  claims: {
    openid: ["sub", "sub_legacy", "groups", "groups_direct", "https://gitlab.org/claims/groups/owner", "https://gitlab.org/claims/groups/maintainer", "https://gitlab.org/claims/groups/developer"],
    profile: ["name", "nickname", "preferred_username", "picture", "website", "profile"],
    email: ["email", "email_verified"],
  },
  features: {
    devInteractions: { enabled: false },
    revocation: { enabled: true },
    introspection: { enabled: true },
  },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  cookies: { keys: [randomBytes(32).toString("hex")] },
  ttl: {
    AccessToken: accessTokenTtl,
    AuthorizationCode: 60,
    IdToken: 120,
    RefreshToken: 14 * 24 * 3600,
    Interaction: 600,
    Session: 3600,
    Grant: 3600,
  },
  // GitLab issues a refresh token with every authorization code and rotates it on use.
  issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed("refresh_token"),
  rotateRefreshToken: () => true,
  pkce: { required: () => false },
  async findAccount(_ctx, sub) {
    const user = users.get(String(sub));
    if (!user || user.blocked) return undefined;
    return {
      accountId: user.id,
      async claims() {
        return {
          sub: user.id,
          sub_legacy: `legacy-${user.id}`,
          name: user.name,
          nickname: user.username,
          preferred_username: user.username,
          email: `${user.username}@example.test`,
          email_verified: true,
          picture: null,
          website: "",
          profile: `${issuer}/${user.username}`,
          groups: [...user.groups],
          groups_direct: [...user.groups],
        };
      },
    };
  },
});
provider.on("grant.success", (ctx) => {
  stats.tokenRequests += 1;
  if (ctx.oidc.params?.grant_type === "refresh_token") stats.refreshGrants += 1;
});
provider.on("userinfo.error", () => {});

const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title, body) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)} · Mock GitLab</title></head><body>
<main><h1>${escape(title)}</h1>${body}</main></body></html>`;
}

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

function send(res, status, body, type = "text/html; charset=utf-8") {
  res.writeHead(status, { "Content-Type": type, "Cache-Control": "no-store" });
  res.end(body);
}

async function handleInteraction(req, res, uid) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) return send(res, 400, page("Sign in", "<p>Interaction mismatch.</p>"));
  if (req.method === "GET") {
    const error = new URL(req.url, issuer).searchParams.get("error");
    return send(
      res,
      200,
      page(
        "Sign in",
        `${error ? `<p role="alert">Invalid login or password.</p>` : ""}
<form method="post" action="/interaction/${escape(uid)}">
  <label for="user_login">Username or primary email</label> <input id="user_login" name="username" autocomplete="username" autofocus>
  <label for="user_password">Password</label> <input id="user_password" name="password" type="password" autocomplete="current-password">
  <button id="sign_in" type="submit">Sign in</button>
</form>`,
      ),
    );
  }
  const form = new URLSearchParams(await readBody(req));
  const user = [...users.values()].find((u) => u.username === form.get("username"));
  if (!user || user.blocked || form.get("password") !== "password") {
    res.writeHead(303, { Location: `/interaction/${uid}?error=1` });
    return res.end();
  }
  // A trusted application (GitLab's "trusted" flag) gets no consent screen: grant what it asked for.
  const grant = details.grantId ? await provider.Grant.find(details.grantId) : new provider.Grant({ accountId: user.id, clientId: details.params.client_id });
  grant.addOIDCScope(String(details.params.scope ?? "openid"));
  const grantId = await grant.save();
  return provider.interactionFinished(req, res, { login: { accountId: user.id }, consent: { grantId } }, { mergeWithLastSubmission: false });
}

async function handleMock(req, res, url) {
  if (req.method === "GET" && url.pathname === "/__mock/stats") return send(res, 200, JSON.stringify(stats), "application/json");
  if (req.method === "POST" && url.pathname === "/__mock/reset") {
    resetUsers();
    return send(res, 204, "");
  }
  const match = /^\/__mock\/users\/([a-z]+)$/.exec(url.pathname);
  if (req.method === "PUT" && match) {
    const user = [...users.values()].find((u) => u.username === match[1]);
    if (!user) return send(res, 404, JSON.stringify({ error: "no such user" }), "application/json");
    const change = JSON.parse((await readBody(req)) || "{}");
    if (Array.isArray(change.groups)) user.groups = change.groups.map(String);
    if (typeof change.blocked === "boolean") user.blocked = change.blocked;
    return send(res, 200, JSON.stringify({ username: user.username, groups: user.groups, blocked: user.blocked }), "application/json");
  }
  return send(res, 404, JSON.stringify({ error: "not found" }), "application/json");
}

const callback = provider.callback();
const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? "/", issuer);
  try {
    if (url.pathname === "/health") return send(res, 200, "ok", "text/plain");
    if (url.pathname.startsWith("/__mock/")) return await handleMock(req, res, url);
    const interaction = /^\/interaction\/([\w-]+)$/.exec(url.pathname);
    if (interaction) return await handleInteraction(req, res, interaction[1]);
    if (url.pathname === "/oauth/userinfo") stats.userinfoRequests += 1;
    return callback(req, res);
  } catch (error) {
    console.error("mock-gitlab error", error);
    if (!res.headersSent) send(res, 500, page("Error", `<p>${escape(error.message)}</p>`));
  }
});
server.listen(port, "127.0.0.1", () => console.log(`mock GitLab listening on ${issuer}`));
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.close(() => process.exit(0)));
