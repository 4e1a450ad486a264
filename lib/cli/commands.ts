import { runMigrateCommand } from "./run-migrate-command.ts";
import { runStartCommand } from "./run-start-command.ts";

export type TCommand = {
  name: string;
  summary: string;
  usage?: string;
  run: (args: string[]) => Promise<number>;
};

export const commands: TCommand[] = [
  { name: "start", summary: "Build if needed, migrate, and serve the dashboard (embedded database unless DATABASE_URL is set).", run: runStartCommand },
  { name: "migrate", summary: "Apply pending database migrations (as `prisma migrate deploy` would).", run: runMigrateCommand },
];
