import type { TBuildkiteResult } from "./create-buildkite-client.ts";

type TFailure = Extract<TBuildkiteResult<unknown>, { ok: false }>;
export type TFailureText = { status: number; title: string; detail: string; headers?: Record<string, string> };

/**
 * A Buildkite failure as a problem a release lead understands: what happened, whether anything changed
 * in Buildkite, and who can fix it. `action` is what Custody was doing; `target` names the build.
 */
export function describeBuildkiteFailure(failure: TFailure, ctx: { action: "unblock" | "read" | "cancel"; target: string; org: string; buildkiteUserId?: string | null }): TFailureText {
  const said = failure.message ? ` Buildkite said: "${failure.message}".` : "";
  const scope = ctx.action === "read" ? "read_builds" : "write_builds";
  switch (failure.kind) {
    case "not-unblockable":
      return { status: 409, title: "Buildkite will not unblock this step", detail: `Buildkite refused to unblock ${ctx.target} (400): the step is not a block step, or earlier steps are still running.${said} Nothing was unblocked; try again once the build reaches the gate.` };
    case "invalid-unblocker":
      return { status: 422, title: "Linked Buildkite account not accepted", detail: `Buildkite does not accept the linked Buildkite account (user ${ctx.buildkiteUserId ?? "?"}) as an unblocker in organization ${ctx.org} (422).${said} The link may point at a user outside the organization; an admin can fix it under People. Nothing was unblocked.` };
    case "build-canceled":
      return { status: 409, title: "Build canceled", detail: `${ctx.target} was canceled in Buildkite, so its gate cannot be unblocked (422).${said}` };
    case "unprocessable":
      return { status: 409, title: "Buildkite refused", detail: `Buildkite refused to ${ctx.action} ${ctx.target} (422).${said} Nothing changed.` };
    case "unauthorized":
      return { status: 502, title: "Buildkite token refused", detail: `Buildkite refused Custody's API token (401): it is wrong, revoked or expired. An admin must set a valid BUILDKITE_API_TOKEN. Nothing changed in Buildkite.` };
    case "forbidden":
      return { status: 502, title: "Buildkite token lacks access", detail: `Buildkite refused Custody's API token (403): it needs the ${scope} scope and access to ${ctx.target} in organization ${ctx.org}.${said} An admin must fix the token's scopes. Nothing changed in Buildkite.` };
    case "not-found":
      return { status: 404, title: "Not found in Buildkite", detail: `Buildkite has no ${ctx.target} in organization ${ctx.org} (404): it was deleted, BUILDKITE_ORG is wrong, or the token cannot see that pipeline.${said}` };
    case "rate-limited":
      return { status: 503, title: "Buildkite rate limit", detail: `Buildkite's API rate limit is reached (429); nothing changed. Try again in ${failure.retryAfterSeconds ?? 60} s.`, headers: { "Retry-After": String(failure.retryAfterSeconds ?? 60) } };
    case "server-error":
      return { status: 502, title: "Buildkite error", detail: `Buildkite failed (${failure.status}) while Custody tried to ${ctx.action} ${ctx.target}.${said} Try again shortly.`, headers: { "Retry-After": "30" } };
    case "timeout":
      return { status: 504, title: "Buildkite did not answer", detail: `Buildkite did not answer in time while Custody tried to ${ctx.action} ${ctx.target}. Try again shortly.`, headers: { "Retry-After": "30" } };
    case "network":
      return { status: 502, title: "Buildkite unreachable", detail: `Custody could not reach Buildkite (${failure.message ?? "network error"}). Check BUILDKITE_API_URL and the network; try again shortly.`, headers: { "Retry-After": "30" } };
    default:
      return { status: 502, title: "Unexpected Buildkite answer", detail: `Buildkite answered ${failure.status ?? "?"} to ${ctx.action} ${ctx.target}, which Custody does not understand.${said}` };
  }
}
