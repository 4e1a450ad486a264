import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { resolve, join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { serializePgliteUnits } from "./serialize-pglite-units.ts";

export type TEmbeddedDatabase = {
  url: string;
  dataDir: string;
  close: () => Promise<void>;
};

export class DataDirInUseError extends Error {}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Takes the data folder for this process. PGlite has no lock of its own, and two processes on one
 * folder silently lose writes, so a second process is refused while the owner is alive.
 * A lock left by a process that died is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  const lockPath = join(dataDir, "custody.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        try {
          if (readFileSync(lockPath, "utf8").trim() === String(process.pid)) rmSync(lockPath);
        } catch {
          // already gone
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = Number.parseInt(readFileSync(lockPath, "utf8").trim(), 10);
      if (Number.isFinite(owner) && owner !== process.pid && processAlive(owner)) {
        throw new DataDirInUseError(
          `The embedded database in ${dataDir} is already open in process ${owner}. ` +
            "Only one Custody process may own it: stop the other one, or set CUSTODY_DATA_DIR to another folder, " +
            "or run several instances against Postgres (DATABASE_URL).",
        );
      }
      rmSync(lockPath, { force: true });
    }
  }
  throw new DataDirInUseError(`could not lock ${lockPath}`);
}

/**
 * Opens (creating on first use) the embedded Postgres in `dataDir` and serves it on a loopback port,
 * so the app, the worker and the migrator all use the same `pg` driver as with a real server.
 * PGlite runs one transaction at a time; that is fine for one team's demo, not for production.
 */
export async function openEmbeddedDatabase(dataDirInput: string): Promise<TEmbeddedDatabase> {
  const dataDir = resolve(dataDirInput);
  mkdirSync(dataDir, { recursive: true });
  const unlock = lockDataDir(dataDir);
  let pglite: PGlite | undefined;
  let server: PGLiteSocketServer | undefined;
  try {
    // pg_trgm backs the timeline's free-text index (a migration creates the extension).
    pglite = await PGlite.create(join(dataDir, "pgdata"), { extensions: { pg_trgm } });
    server = new PGLiteSocketServer({ db: pglite, host: "127.0.0.1", port: 0, maxConnections: 64 });
    serializePgliteUnits(server, pglite);
    await server.start();
  } catch (error) {
    await server?.stop().catch(() => {});
    await pglite?.close().catch(() => {});
    unlock();
    throw error;
  }
  const [, port] = server.getServerConn().split(":");
  const url = `postgresql://postgres@127.0.0.1:${port}/postgres?sslmode=disable`;
  let closed = false;
  return {
    url,
    dataDir,
    async close() {
      if (closed) return;
      closed = true;
      await server?.stop().catch(() => {});
      // Closing flushes PGlite's files; the folder is consistent once this resolves.
      await pglite?.close();
      unlock();
    },
  };
}
