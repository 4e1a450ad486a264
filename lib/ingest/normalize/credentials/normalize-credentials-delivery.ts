import { arr, obj, str, type TObj } from "../fields.ts";
import type { TNormalized } from "../types.ts";
import { normalizeCloudTrail } from "./normalize-cloudtrail.ts";
import { normalizeOidcClaims } from "./normalize-oidc-claims.ts";

/** A credentials delivery: `{kind:"oidc-claims", claims}`, a CloudTrail log file, or an EventBridge event. */
export function normalizeCredentialsDelivery(json: unknown): TNormalized {
  const body = obj(json);
  if (!body) return { status: "invalid", error: "body is not a JSON object" };
  if (body.kind === "oidc-claims") {
    const claims = obj(body.claims);
    return claims ? normalizeOidcClaims(claims) : { status: "invalid", error: "oidc-claims without a claims object" };
  }
  if (Array.isArray(body.Records)) return normalizeCloudTrail(arr(body.Records).map(obj).filter((r): r is TObj => r !== null));
  if (str(body["detail-type"]) && obj(body.detail)) return normalizeCloudTrail([obj(body.detail)!]);
  return { status: "invalid", error: 'expected {"kind":"oidc-claims","claims":{…}}, a CloudTrail file {"Records":[…]} or an EventBridge event' };
}
