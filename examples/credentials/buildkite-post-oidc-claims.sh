#!/usr/bin/env bash
# Buildkite agent `post-checkout` or step hook: records the claims of the OIDC token this job requests,
# so Custody can show which credentials a deploy held. Only the decoded claims are sent, never the token.
# Needs: CUSTODY_URL, CUSTODY_INGEST_TOKEN (a secret in your agent environment), jq, base64, curl.
set -euo pipefail

audience="${CUSTODY_OIDC_AUDIENCE:-sts.amazonaws.com}"
token="$(buildkite-agent oidc request-token --audience "$audience" --lifetime "${CUSTODY_OIDC_LIFETIME:-900}")"

# The JWT payload is the second dot-separated part, base64url without padding.
payload="$(printf '%s' "$token" | cut -d. -f2 | tr '_-' '/+')"
case $(( ${#payload} % 4 )) in 2) payload="$payload==" ;; 3) payload="$payload=" ;; esac
claims="$(printf '%s' "$payload" | base64 -d)"

jq -n --argjson claims "$claims" '{kind: "oidc-claims", claims: $claims}' |
  curl --fail-with-body -sS -X POST "$CUSTODY_URL/api/ingest/credentials" \
    -H "Authorization: Bearer $CUSTODY_INGEST_TOKEN" -H "Content-Type: application/json" --data @-

# Hand the token to the step that uses it (e.g. the AWS plugin reads BUILDKITE_OIDC_TOKEN) instead of
# requesting a second one, so the recorded claims are exactly the credential that was used.
export BUILDKITE_OIDC_TOKEN="$token"
