import { runBackfillCommand } from "./run-backfill-command.ts";
import { runKeygenCommand } from "./run-keygen-command.ts";
import { runLedgerCommand } from "./run-ledger-command.ts";
import { runMigrateCommand } from "./run-migrate-command.ts";
import { runPeopleCommand } from "./run-people-command.ts";
import { runReplayCommand } from "./run-replay-command.ts";
import { runStartCommand } from "./run-start-command.ts";
import { runTokenCommand } from "./run-token-command.ts";
import { runVerifyCommand } from "./run-verify-command.ts";
import { runWorkerCommand } from "./run-worker-command.ts";

export type TCommand = {
  name: string;
  summary: string;
  usage?: string;
  run: (args: string[]) => Promise<number>;
};

export const commands: TCommand[] = [
  { name: "start", summary: "Build if needed, migrate, and serve the dashboard (embedded database unless DATABASE_URL is set).", run: runStartCommand },
  { name: "worker", summary: "Process stored deliveries (run several for scale; needs DATABASE_URL).", usage: "[--concurrency N]", run: runWorkerCommand },
  { name: "replay", summary: "Re-process deliveries by id, source, time range, or all failed.", usage: "<id…> | --failed | [--source S] [--from DATE] [--to DATE] [--state STATE]", run: runReplayCommand },
  { name: "backfill", summary: "Read GitLab or Buildkite through its API for a time window and store what webhooks missed (resumable).", usage: "--source gitlab|buildkite --since DATE [--until DATE]", run: runBackfillCommand },
  { name: "token", summary: "Create, list or revoke API tokens (printed once, stored hashed).", usage: "create --role <viewer|auditor|approver|admin> --name <name> [--expires-in 90d] | list | revoke <id|prefix>", run: runTokenCommand },
  { name: "people", summary: "List accounts without a person; link or unlink one by hand (audited, with a reason).", usage: "list-unlinked | link <accountId> <personId|new> --reason <why> | unlink <accountId> --reason <why> | relink", run: runPeopleCommand },
  { name: "keygen", summary: "Create an Ed25519 key pair (PEM) for signing ledger checkpoints.", usage: "[--out <dir>]", run: runKeygenCommand },
  { name: "ledger", summary: "Verify the ledger against its signed checkpoints, sign one now, or export them.", usage: "verify [--public-key <pem>]… | checkpoint | export [--after N]", run: runLedgerCommand },
  { name: "verify", summary: "Check an evidence pack offline: every hash, proof and signature (pin the key with --key).", usage: "<pack.zip> [--key <public key PEM file | fingerprint>]", run: runVerifyCommand },
  { name: "migrate", summary: "Apply pending database migrations (as `prisma migrate deploy` would).", run: runMigrateCommand },
];
