-- The dispatcher's scan (lib/queue/dispatch-deliveries.ts): the oldest deliveries still in state
-- `received`, in (received_at, id) order. A partial index holds only those rows, so the scan stays a few
-- pages however many deliveries were processed, and it returns them already in the order the
-- dispatcher cuts into batch jobs. Partial indexes are ignored by the schema engine's diff, so
-- `npm run db:drift` stays clean with it in place.
CREATE INDEX "delivery_received_dispatch_idx" ON "delivery" ("received_at", "id") WHERE "processing_state" = 'received';

-- Every delivery row is updated twice after its insert (received → pending → processed, each a new row
-- version because processing_state is indexed), so the table collects dead row versions at twice the
-- ingest rate. Vacuum and analyze it after 2% of its rows changed instead of Postgres's default 20%, so
-- the dispatcher and the Ingest page's counts do not wade through them after a burst.
ALTER TABLE "delivery" SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.02);
