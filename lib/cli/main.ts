import { ConfigError, getEnv } from "@/lib/env";
import { exitWithParent } from "@/lib/process/exit-with-parent";
import { commands } from "./commands.ts";

const usage = `Custody: build provenance and audit evidence.

Usage: npx custody <command> [options]

Commands:
${commands.map((c) => `  ${c.name.padEnd(12)}${c.summary}`).join("\n")}

Run \`npx custody <command> --help\` for a command's options.
Configuration comes from the environment; see .env.example.`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    console.log(usage);
    return 0;
  }
  if (name === "--version" || name === "-v") {
    const { readFile } = await import("node:fs/promises");
    const pkg = JSON.parse(await readFile(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
    console.log(pkg.version);
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    console.error(`Unknown command "${name}".\n\n${usage}`);
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    console.log(`Usage: npx custody ${command.name} ${command.usage ?? ""}\n\n${command.summary}`);
    return 0;
  }
  // `bin/custody.mjs` started this process; if it is killed, stop as on Ctrl-C (start and worker shut down cleanly).
  exitWithParent(() => process.kill(process.pid, "SIGTERM"));
  return command.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    // Operators get the message; the stack only when they ask for it.
    let verbose = false;
    try {
      verbose = getEnv().CUSTODY_LOG_LEVEL === "debug";
    } catch {
      // configuration errors were reported above
    }
    console.error(error instanceof Error ? (verbose ? (error.stack ?? error.message) : `Error: ${error.message}`) : error);
    process.exit(1);
  },
);
