// Client-safe shapes shared by the normalizers (pure) and the writer (database).

export type TEntityType =
  | "account"
  | "project"
  | "merge_request"
  | "approval"
  | "commit"
  | "mr_commit"
  | "pipeline"
  | "ci_job"
  | "build"
  | "build_job"
  | "deployment"
  | "credential"
  | "role_session";

/** What one delivery says about one entity at one moment. `data` uses model field names; references are entity keys. */
export type TFact = {
  type: TEntityType;
  key: string;
  at: string;
  rank: number;
  data: Record<string, unknown>;
};

export type TTimelineItem = {
  kind: string;
  at: string;
  title: string;
  projectPath?: string | null;
  environment?: string | null;
  actorKey?: string | null;
  actor?: string | null;
  sha?: string | null;
  refs: string[];
  entityType?: TEntityType;
  entityKey?: string;
};

export type TNormalized =
  | { status: "processed"; facts: TFact[]; timeline: TTimelineItem[] }
  | { status: "ignored"; reason: string }
  | { status: "invalid"; error: string };

export type TDeliveryInput = {
  source: "gitlab" | "buildkite" | "credentials";
  eventType: string;
  body: Uint8Array;
  sha256: string;
  receivedAt: Date;
  /** The REST URL an `api.*` delivery was read from (origin api); webhooks have none. */
  requestUrl?: string | null;
};

/** Entity-type write order: referenced rows first. */
export const entityOrder: TEntityType[] = [
  "account",
  "project",
  "commit",
  "merge_request",
  "mr_commit",
  "approval",
  "pipeline",
  "ci_job",
  "build",
  "build_job",
  "deployment",
  "credential",
  "role_session",
];
