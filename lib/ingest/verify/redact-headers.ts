import "server-only";

const REDACTED = "[redacted]";

// Whole value hidden. Besides the named credentials, any header whose name says it carries a
// secret is hidden too: GitLab hooks may add up to 20 custom headers and users put keys in them.
const SECRET_HEADERS = new Set([
  "x-gitlab-token",
  "x-buildkite-token",
  "x-gitlab-event-streaming-token",
  "authorization",
  "proxy-authorization",
  "cookie",
  "set-cookie",
]);
const SECRET_NAME = /token|secret|passw|api-?key|auth|cookie|session|credential/;

// `v1,<mac> v1a,<mac>` → `v1,[redacted] v1a,[redacted]`: versions stay visible for debugging rotation.
function redactStandardSignature(value: string): string {
  return value
    .split(" ")
    .map((entry) => {
      if (entry === "") return entry;
      const comma = entry.indexOf(",");
      const version = comma < 0 ? "" : entry.slice(0, comma);
      return /^v[0-9]{1,3}a?$/.test(version) ? `${version},${REDACTED}` : REDACTED;
    })
    .join(" ");
}

// `timestamp=1642080837,signature=<hex>` → `timestamp=1642080837,signature=[redacted]`.
function redactBuildkiteSignature(value: string): string {
  return value
    .split(",")
    .map((part) => {
      const equals = part.indexOf("=");
      const key = equals < 0 ? "" : part.slice(0, equals);
      const rest = part.slice(equals + 1);
      if (key === "timestamp" && /^[0-9]{1,12}$/.test(rest)) return part;
      return /^[a-z]{1,16}$/.test(key) ? `${key}=${REDACTED}` : REDACTED;
    })
    .join(",");
}

/**
 * Copies request headers into a plain object that is safe to store and log: names lowercased,
 * credentials replaced by "[redacted]", and signature headers kept with only their MACs hidden.
 * Repeated names are joined with ", " as the Fetch `Headers` does.
 */
export function redactHeaders(headers: Iterable<readonly [string, string]>): Record<string, string> {
  const result: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [rawName, value] of headers) {
    const name = rawName.toLowerCase();
    let safe: string;
    if (name === "webhook-signature") safe = redactStandardSignature(value);
    else if (name === "x-buildkite-signature") safe = redactBuildkiteSignature(value);
    else if (SECRET_HEADERS.has(name) || SECRET_NAME.test(name)) safe = REDACTED;
    else safe = value;
    result[name] = name in result ? `${result[name]}, ${safe}` : safe;
  }
  return result;
}
