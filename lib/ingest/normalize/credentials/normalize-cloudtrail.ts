import { date, obj, str, type TObj } from "../fields.ts";
import type { TFact, TNormalized, TTimelineItem } from "../types.ts";

/**
 * CloudTrail records (a log file's `Records`, or one EventBridge event's `detail`) →
 * `AssumeRoleWithWebIdentity` role sessions. Other event names are kept but not used.
 * A `buildkite-job-<uuid>` session name joins the session to that Buildkite job.
 */
export function normalizeCloudTrail(records: TObj[]): TNormalized {
  const facts: TFact[] = [];
  const timeline: TTimelineItem[] = [];
  for (const record of records) {
    if (str(record.eventName) !== "AssumeRoleWithWebIdentity") continue;
    const eventId = str(record.eventID);
    const at = date(record.eventTime);
    if (!eventId || !at) continue;
    const request = obj(record.requestParameters) ?? {};
    const response = obj(record.responseElements) ?? {};
    const identity = obj(record.userIdentity) ?? {};
    const credentials = obj(response.credentials) ?? {};
    const sessionName = str(request.roleSessionName);
    const jobId = sessionName?.match(/^buildkite-job-([0-9a-f-]{36})$/i)?.[1] ?? null;
    const key = `role-session:aws:${eventId}`;
    const roleArn = str(request.roleArn) ?? str(obj(response.assumedRoleUser)?.arn);
    const subject = str(response.subjectFromWebIdentityToken) ?? str(identity.userName);
    facts.push({
      type: "role_session",
      key,
      at,
      rank: 0,
      data: {
        eventId,
        roleArn,
        sessionName,
        subject,
        audience: str(response.audience),
        provider: str(response.provider) ?? str(identity.identityProvider),
        sourceIp: str(record.sourceIPAddress),
        issuedAt: at,
        expiresAt: date(credentials.expiration),
        accessKeyId: str(credentials.accessKeyId),
        accountId: str(record.recipientAccountId),
        errorCode: str(record.errorCode),
        jobKey: jobId ? `buildkite:job:${jobId}` : null,
        jobExternalId: jobId,
      },
    });
    timeline.push({
      kind: str(record.errorCode) ? "role_session.denied" : "role_session.issued",
      at,
      title: `${str(record.errorCode) ? "Refused" : "AWS role session"} ${sessionName ?? "?"} on ${roleArn ?? "?"} for ${subject ?? "?"}`,
      refs: [...(sessionName ? [sessionName] : []), ...(jobId ? [jobId] : []), ...(str(credentials.accessKeyId) ? [str(credentials.accessKeyId)!] : [])],
      entityType: "role_session",
      entityKey: key,
    });
  }
  if (!facts.length) return { status: "ignored", reason: "no AssumeRoleWithWebIdentity records" };
  return { status: "processed", facts, timeline };
}
