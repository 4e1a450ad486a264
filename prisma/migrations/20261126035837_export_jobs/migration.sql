-- CreateTable
CREATE TABLE "export_job" (
    "id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "params" JSONB NOT NULL,
    "requested_by" TEXT NOT NULL,
    "requester_type" TEXT NOT NULL,
    "requester_id" TEXT,
    "state" TEXT NOT NULL DEFAULT 'queued',
    "progress_done" INTEGER NOT NULL DEFAULT 0,
    "progress_total" INTEGER,
    "error" TEXT,
    "result_size" BIGINT,
    "result_sha256" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "export_job_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "export_chunk" (
    "job_id" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "data" BYTEA NOT NULL,

    CONSTRAINT "export_chunk_pkey" PRIMARY KEY ("job_id","seq")
);

-- CreateIndex
CREATE INDEX "export_job_requester_id_created_at_idx" ON "export_job"("requester_id", "created_at");

-- CreateIndex
CREATE INDEX "export_job_created_at_id_idx" ON "export_job"("created_at", "id");

-- CreateIndex
CREATE INDEX "export_job_expires_at_idx" ON "export_job"("expires_at");

-- AddForeignKey
ALTER TABLE "export_chunk" ADD CONSTRAINT "export_chunk_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "export_job"("id") ON DELETE CASCADE ON UPDATE CASCADE;
