export { db, getPool, closeDb } from "./client.ts";
export * from "./generated/client.ts";
