import type { TDeployReceipt } from "@/lib/contracts/deployments";
import { buildPdf, type TPdfBlock } from "./pdf/build-pdf.ts";

const who = (u: { username: string | null; name?: string | null } | null | undefined) => u?.username ?? u?.name ?? "unknown";
const utc = (iso: string | null | undefined) => (iso ? `${iso.replace("T", " ").slice(0, 19)} UTC` : "-");

/**
 * The deploy receipt as a PDF: the same sections as the receipt page (change, CI, gates,
 * credentials, findings, evidence with each delivery's SHA-256), times in UTC. Pure.
 */
export function buildDeployReceiptPdf(receipt: TDeployReceipt, generatedAt = new Date()): Uint8Array {
  const blocks: TPdfBlock[] = [
    { type: "heading", text: `Deploy receipt: ${receipt.project ?? "unknown project"} to ${receipt.environment}` },
    {
      type: "table",
      columns: [{ label: "Field", weight: 1 }, { label: "Value", weight: 3.5 }],
      rows: [
        ["Deployment", receipt.id],
        ["Provider", receipt.provider],
        ["Status", receipt.status ?? "unknown"],
        ["Commit", receipt.commitSha ?? "unknown"],
        ["Triggered by", who(receipt.triggeredBy)],
        ["Started", utc(receipt.startedAt)],
        ["Finished", utc(receipt.finishedAt)],
        ["Recorded", utc(receipt.occurredAt)],
      ],
    },
    { type: "heading", level: 2, text: "Findings" },
    receipt.findings.length
      ? { type: "table", columns: [{ label: "Severity", weight: 1 }, { label: "Finding", weight: 2 }, { label: "Detail", weight: 5 }], rows: receipt.findings.map((f) => [f.severity, f.code.replaceAll("_", " "), f.message]) }
      : { type: "paragraph", muted: true, text: "No findings: reviewed, approved, merged, CI green, gate opened by someone other than the authors." },
    { type: "heading", level: 2, text: "Change" },
    {
      type: "table",
      empty: "No merge request is linked to this commit.",
      columns: [{ label: "Merge request", weight: 2.8 }, { label: "Title", weight: 2.6 }, { label: "Author", weight: 1.2 }, { label: "Approvers", weight: 2.2 }, { label: "Merged by", weight: 2 }, { label: "Linked by", weight: 1.2 }],
      rows: receipt.mergeRequests.map((m) => [
        `${m.project ?? "?"}!${m.iid} (${m.state ?? "?"})`,
        m.title ?? "",
        who(m.author),
        m.approvers.map((a) => `${a.username ?? "?"} ${utc(a.approvedAt)}`).join("\n") || "none",
        `${who(m.mergedBy)} ${utc(m.mergedAt)}`,
        m.linkedBy,
      ]),
    },
    ...receipt.mergeRequests
      .filter((m) => m.commits.length)
      .map((m): TPdfBlock => ({ type: "paragraph", font: "mono", text: `Commits of ${m.project}!${m.iid}: ${m.commits.join(", ")}` })),
    { type: "heading", level: 2, text: "CI" },
    {
      type: "table",
      empty: "No pipeline or build is linked.",
      columns: [{ label: "Pipeline / build", weight: 2.8 }, { label: "Status", weight: 1 }, { label: "Ref", weight: 1.2 }, { label: "Triggered by", weight: 1.5 }, { label: "Jobs", weight: 3 }, { label: "Linked by", weight: 1.5 }],
      rows: [
        ...receipt.pipelines.map((p) => [
          `GitLab pipeline #${p.id}`,
          p.status ?? "?",
          p.ref ?? "-",
          who(p.triggeredBy),
          p.jobs.map((j) => `${j.name ?? j.id}: ${j.status ?? "?"}${j.user ? ` (${who(j.user)})` : ""}`).join("\n"),
          p.linkedBy,
        ]),
        ...receipt.builds.map((b) => [`Buildkite ${b.pipeline} #${b.number}`, b.state ?? "?", "-", b.creator?.name ?? "-", "", b.linkedBy]),
      ],
    },
    { type: "heading", level: 2, text: "Gates" },
    {
      type: "table",
      empty: "No block steps in the linked builds.",
      columns: [{ label: "Build", weight: 2.6 }, { label: "Gate", weight: 2 }, { label: "State", weight: 1 }, { label: "Unblocked by", weight: 3 }, { label: "When", weight: 2 }],
      rows: receipt.builds.flatMap((b) =>
        b.gates.map((g) => [
          `${b.pipeline} #${b.number}`,
          g.label ?? "-",
          g.state ?? "?",
          g.unblockedBy ? `${g.unblockedBy.name ?? ""} <${g.unblockedBy.email ?? "no email"}>` : "-",
          utc(g.unblockedAt),
        ]),
      ),
    },
    { type: "heading", level: 2, text: "Credentials" },
    {
      type: "table",
      empty: "No short-lived credentials were reported for the jobs behind this deploy.",
      columns: [{ label: "Kind", weight: 1 }, { label: "Subject", weight: 3 }, { label: "Audience", weight: 1.5 }, { label: "Lifetime", weight: 2 }, { label: "Job", weight: 1 }, { label: "Role session", weight: 2.5 }],
      rows: receipt.credentials.map((c) => [
        c.kind,
        c.subject ?? "-",
        c.audience ?? "-",
        `${utc(c.issuedAt)} -> ${utc(c.expiresAt)}${c.lifetimeSeconds !== null ? ` (${c.lifetimeSeconds} s)` : ""}`,
        c.jobId ?? "none",
        c.roleSession ? `${c.roleSession.roleArn ?? "?"} ${c.roleSession.sessionName ?? ""} from ${c.roleSession.sourceIp ?? "?"}` : "-",
      ]),
    },
    { type: "heading", level: 2, text: `Evidence (${receipt.evidence.length} deliveries)` },
    {
      type: "table",
      empty: "No deliveries.",
      // Wide enough for a SHA-256 on one line in Courier 8 pt, so it can be compared by eye.
      columns: [{ label: "Received", weight: 1.3 }, { label: "Source, event, delivery id", weight: 1.7 }, { label: "SHA-256 of the body", weight: 5.2, font: "mono" }],
      rows: receipt.evidence.map((e) => [utc(e.receivedAt), `${e.source} (${e.origin}) ${e.event}\n${e.deliveryId}`, e.sha256]),
    },
    { type: "paragraph", muted: true, text: `Generated by Custody at ${utc(generatedAt.toISOString())}. Each delivery's SHA-256 can be checked against the raw body Custody stores.` },
  ];
  return buildPdf({ title: `Deploy receipt ${receipt.id}`, subject: `${receipt.project ?? ""} ${receipt.environment} ${receipt.commitSha ?? ""}`.trim(), createdAt: generatedAt, blocks });
}
