import { keys } from "../keys.ts";
import { compact, id, int, str, type TObj } from "../fields.ts";
import type { TNormalized } from "../types.ts";

const BUILDKITE_ISSUER = "https://agent.buildkite.com";

function epoch(value: unknown): string | null {
  const n = typeof value === "number" ? value : typeof value === "string" && /^\d+$/.test(value) ? Number(value) : NaN;
  return Number.isFinite(n) && n > 0 && n < 1e11 ? new Date(n * 1000).toISOString() : null;
}

/**
 * Decoded OIDC token claims posted by a CI job (Buildkite agent or GitLab CI ID token) → a
 * credential joined to its job: Buildkite `job_id` (UUID) or GitLab `job_id` + `project_id`.
 * Claims that cannot be a real token (missing iss/sub/iat/exp, expiry before issue) are invalid.
 */
export function normalizeOidcClaims(claims: TObj): TNormalized {
  const iss = str(claims.iss);
  const sub = str(claims.sub);
  const iat = epoch(claims.iat);
  const exp = epoch(claims.exp);
  const missing = [!iss && "iss", !sub && "sub", !iat && "iat (unix seconds)", !exp && "exp (unix seconds)"].filter(Boolean);
  if (missing.length) return { status: "invalid", error: `claims are missing or mistyped: ${missing.join(", ")}` };
  if (exp! <= iat!) return { status: "invalid", error: "claims expire before (or when) they are issued (exp <= iat)" };
  const aud = Array.isArray(claims.aud) ? claims.aud.map(str).filter((a): a is string => !!a) : str(claims.aud) ? [str(claims.aud)!] : [];
  const jti = str(claims.jti);
  const buildkite = iss === BUILDKITE_ISSUER;
  const jobId = id(claims.job_id);
  const projectId = id(claims.project_id);
  const jobKey = jobId ? (buildkite ? keys.buildJob(jobId) : projectId ? keys.ciJob(projectId, jobId) : null) : null;
  const key = `credential:oidc:${iss}:${jti ?? `${sub}:${claims.iat}`}`;
  const environment = str(claims.environment);
  return {
    status: "processed",
    facts: [
      {
        type: "credential",
        key,
        at: iat!,
        rank: 0,
        data: compact({
          kind: "oidc",
          issuer: iss,
          subject: sub,
          audience: aud.join(" "),
          jti,
          issuedAt: iat,
          notBefore: epoch(claims.nbf),
          expiresAt: exp,
          provider: buildkite ? "buildkite" : "gitlab",
          jobExternalId: jobId,
          jobKey,
          pipelineExternalId: id(claims.pipeline_id) ?? (claims.build_number !== undefined ? String(int(claims.build_number)) : null),
          pipelineSlug: str(claims.pipeline_slug),
          ref: str(claims.ref) ?? str(claims.build_branch),
          refProtected: str(claims.ref_protected),
          sha: str(claims.sha) ?? str(claims.build_commit),
          environment,
          userLogin: str(claims.user_login),
          stepKey: str(claims.step_key),
          claims,
        }),
      },
    ],
    timeline: [
      {
        kind: "credential.issued",
        at: iat!,
        title: `OIDC token issued by ${iss} to ${sub} for ${aud.join(", ") || "no audience"}`,
        environment,
        actor: str(claims.user_login),
        sha: str(claims.sha) ?? str(claims.build_commit),
        refs: [sub!, ...(jti ? [jti] : []), ...(jobId ? [jobId] : [])],
        entityType: "credential",
        entityKey: key,
      },
    ],
  };
}
