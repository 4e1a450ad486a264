export { db, getPool, getReportPool, closeDb } from "./client.ts";
export * from "./generated/client.ts";
