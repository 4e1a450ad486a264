-- CreateTable
CREATE TABLE "backfill_run" (
    "id" UUID NOT NULL,
    "source" "Source" NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'backfill',
    "window_from" TIMESTAMPTZ(3) NOT NULL,
    "window_to" TIMESTAMPTZ(3) NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'queued',
    "cursor" JSONB NOT NULL DEFAULT '{}',
    "requests" INTEGER NOT NULL DEFAULT 0,
    "fetched" INTEGER NOT NULL DEFAULT 0,
    "stored" INTEGER NOT NULL DEFAULT 0,
    "gaps_found" INTEGER NOT NULL DEFAULT 0,
    "total" INTEGER,
    "started_by" TEXT NOT NULL,
    "error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "backfill_run_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "reconciliation_gap" (
    "id" UUID NOT NULL,
    "run_id" UUID NOT NULL,
    "source" "Source" NOT NULL,
    "object_kind" TEXT NOT NULL,
    "external_id" TEXT NOT NULL,
    "api_state" TEXT NOT NULL DEFAULT '',
    "detail" TEXT NOT NULL,
    "found_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "filled_at" TIMESTAMPTZ(3),
    "delivery_id" UUID,

    CONSTRAINT "reconciliation_gap_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "backfill_run_created_at_id_idx" ON "backfill_run"("created_at", "id");

-- CreateIndex
CREATE INDEX "backfill_run_source_state_idx" ON "backfill_run"("source", "state");

-- CreateIndex
CREATE INDEX "reconciliation_gap_found_at_id_idx" ON "reconciliation_gap"("found_at", "id");

-- CreateIndex
CREATE UNIQUE INDEX "reconciliation_gap_source_object_kind_external_id_api_state_key" ON "reconciliation_gap"("source", "object_kind", "external_id", "api_state");

-- AddForeignKey
ALTER TABLE "reconciliation_gap" ADD CONSTRAINT "reconciliation_gap_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "backfill_run"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
