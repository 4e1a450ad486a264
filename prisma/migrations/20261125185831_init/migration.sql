-- CreateEnum
CREATE TYPE "Source" AS ENUM ('gitlab', 'buildkite', 'credentials');

-- CreateEnum
CREATE TYPE "Origin" AS ENUM ('webhook', 'api');

-- CreateEnum
CREATE TYPE "ProcessingState" AS ENUM ('pending', 'processed', 'ignored', 'invalid', 'failed');

-- CreateTable
CREATE TABLE "delivery" (
    "id" UUID NOT NULL,
    "source" "Source" NOT NULL,
    "origin" "Origin" NOT NULL DEFAULT 'webhook',
    "event_type" TEXT NOT NULL,
    "dedupe_key" TEXT NOT NULL,
    "body" BYTEA NOT NULL,
    "headers" JSONB NOT NULL,
    "sha256" CHAR(64) NOT NULL,
    "byte_length" INTEGER NOT NULL,
    "verify_method" TEXT NOT NULL,
    "verify_result" TEXT NOT NULL,
    "request_url" TEXT,
    "received_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processing_state" "ProcessingState" NOT NULL DEFAULT 'pending',
    "processing_error" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "processed_at" TIMESTAMPTZ(6),

    CONSTRAINT "delivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ingest_rejection" (
    "source" "Source" NOT NULL,
    "reason" TEXT NOT NULL,
    "hour" TIMESTAMPTZ(6) NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,
    "last_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ingest_rejection_pkey" PRIMARY KEY ("source","reason","hour")
);

-- CreateTable
CREATE TABLE "project" (
    "id" UUID NOT NULL,
    "provider" TEXT NOT NULL,
    "external_id" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "name" TEXT,
    "web_url" TEXT,
    "default_branch" TEXT,

    CONSTRAINT "project_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "merge_request" (
    "id" UUID NOT NULL,
    "project_id" UUID NOT NULL,
    "external_id" TEXT,
    "iid" INTEGER NOT NULL,
    "title" TEXT,
    "state" TEXT,
    "source_branch" TEXT,
    "target_branch" TEXT,
    "head_sha" TEXT,
    "merge_commit_sha" TEXT,
    "squash_commit_sha" TEXT,
    "web_url" TEXT,
    "author_account_id" UUID,
    "merged_by_account_id" UUID,
    "opened_at" TIMESTAMPTZ(6),
    "merged_at" TIMESTAMPTZ(6),
    "closed_at" TIMESTAMPTZ(6),
    "source_updated_at" TIMESTAMPTZ(6),

    CONSTRAINT "merge_request_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "merge_request_approval" (
    "merge_request_id" UUID NOT NULL,
    "account_id" UUID NOT NULL,
    "approved_at" TIMESTAMPTZ(6),
    "revoked_at" TIMESTAMPTZ(6),

    CONSTRAINT "merge_request_approval_pkey" PRIMARY KEY ("merge_request_id","account_id")
);

-- CreateTable
CREATE TABLE "commit" (
    "project_id" UUID NOT NULL,
    "sha" TEXT NOT NULL,
    "message" TEXT,
    "title" TEXT,
    "author_name" TEXT,
    "author_email" TEXT,
    "committed_at" TIMESTAMPTZ(6),
    "url" TEXT,

    CONSTRAINT "commit_pkey" PRIMARY KEY ("project_id","sha")
);

-- CreateTable
CREATE TABLE "merge_request_commit" (
    "merge_request_id" UUID NOT NULL,
    "sha" TEXT NOT NULL,

    CONSTRAINT "merge_request_commit_pkey" PRIMARY KEY ("merge_request_id","sha")
);

-- CreateTable
CREATE TABLE "pipeline" (
    "id" UUID NOT NULL,
    "project_id" UUID NOT NULL,
    "external_id" TEXT NOT NULL,
    "iid" INTEGER,
    "ref" TEXT,
    "sha" TEXT,
    "before_sha" TEXT,
    "source" TEXT,
    "status" TEXT,
    "merge_request_iid" INTEGER,
    "triggered_by_account_id" UUID,
    "web_url" TEXT,
    "created_at" TIMESTAMPTZ(6),
    "finished_at" TIMESTAMPTZ(6),

    CONSTRAINT "pipeline_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ci_job" (
    "id" UUID NOT NULL,
    "pipeline_id" UUID,
    "project_id" UUID NOT NULL,
    "external_id" TEXT NOT NULL,
    "name" TEXT,
    "stage" TEXT,
    "status" TEXT,
    "ref" TEXT,
    "sha" TEXT,
    "environment" TEXT,
    "user_account_id" UUID,
    "started_at" TIMESTAMPTZ(6),
    "finished_at" TIMESTAMPTZ(6),

    CONSTRAINT "ci_job_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "build" (
    "id" UUID NOT NULL,
    "external_id" TEXT NOT NULL,
    "organization" TEXT,
    "pipeline_slug" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "state" TEXT,
    "blocked" BOOLEAN NOT NULL DEFAULT false,
    "commit_sha" TEXT,
    "branch" TEXT,
    "message" TEXT,
    "source" TEXT,
    "web_url" TEXT,
    "creator_account_id" UUID,
    "author_name" TEXT,
    "author_email" TEXT,
    "meta_data" JSONB,
    "gitlab_project_path" TEXT,
    "gitlab_pipeline_id" TEXT,
    "gitlab_job_id" TEXT,
    "gitlab_mr_iid" INTEGER,
    "created_at" TIMESTAMPTZ(6),
    "started_at" TIMESTAMPTZ(6),
    "finished_at" TIMESTAMPTZ(6),

    CONSTRAINT "build_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "build_job" (
    "id" UUID NOT NULL,
    "build_id" UUID NOT NULL,
    "external_id" TEXT NOT NULL,
    "type" TEXT,
    "label" TEXT,
    "step_key" TEXT,
    "state" TEXT,
    "environment" TEXT,
    "unblockable" BOOLEAN,
    "unblocked_by_account_id" UUID,
    "unblocked_at" TIMESTAMPTZ(6),
    "agent_name" TEXT,
    "exit_status" INTEGER,
    "started_at" TIMESTAMPTZ(6),
    "finished_at" TIMESTAMPTZ(6),

    CONSTRAINT "build_job_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "deployment" (
    "id" UUID NOT NULL,
    "provider" TEXT NOT NULL,
    "external_id" TEXT NOT NULL,
    "project_id" UUID,
    "environment" TEXT NOT NULL,
    "status" TEXT,
    "commit_sha" TEXT,
    "short_sha" TEXT,
    "ref" TEXT,
    "pipeline_external_id" TEXT,
    "job_external_id" TEXT,
    "build_external_id" TEXT,
    "triggered_by_account_id" UUID,
    "web_url" TEXT,
    "started_at" TIMESTAMPTZ(6),
    "finished_at" TIMESTAMPTZ(6),
    "occurred_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "deployment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "fact_evidence" (
    "entity_type" TEXT NOT NULL,
    "entity_id" TEXT NOT NULL,
    "delivery_id" UUID NOT NULL,

    CONSTRAINT "fact_evidence_pkey" PRIMARY KEY ("entity_type","entity_id","delivery_id")
);

-- CreateTable
CREATE TABLE "timeline_event" (
    "id" BIGSERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "occurred_at" TIMESTAMPTZ(6) NOT NULL,
    "kind" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "project_path" TEXT,
    "environment" TEXT,
    "actor" TEXT,
    "account_id" UUID,
    "title" TEXT NOT NULL,
    "sha" TEXT,
    "refs" TEXT[],
    "entity_type" TEXT,
    "entity_id" TEXT,
    "delivery_id" UUID,

    CONSTRAINT "timeline_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "person" (
    "id" UUID NOT NULL,
    "display_name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "person_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "account" (
    "id" UUID NOT NULL,
    "system" TEXT NOT NULL,
    "external_id" TEXT NOT NULL,
    "username" TEXT,
    "name" TEXT,
    "email" TEXT,
    "person_id" UUID,
    "link_method" TEXT,
    "link_evidence" JSONB,
    "first_seen_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "account_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "delivery_received_at_id_idx" ON "delivery"("received_at", "id");

-- CreateIndex
CREATE INDEX "delivery_processing_state_received_at_idx" ON "delivery"("processing_state", "received_at");

-- CreateIndex
CREATE INDEX "delivery_source_received_at_idx" ON "delivery"("source", "received_at");

-- CreateIndex
CREATE UNIQUE INDEX "delivery_source_dedupe_key_key" ON "delivery"("source", "dedupe_key");

-- CreateIndex
CREATE INDEX "project_path_idx" ON "project"("path");

-- CreateIndex
CREATE UNIQUE INDEX "project_provider_external_id_key" ON "project"("provider", "external_id");

-- CreateIndex
CREATE INDEX "merge_request_merge_commit_sha_idx" ON "merge_request"("merge_commit_sha");

-- CreateIndex
CREATE INDEX "merge_request_squash_commit_sha_idx" ON "merge_request"("squash_commit_sha");

-- CreateIndex
CREATE INDEX "merge_request_head_sha_idx" ON "merge_request"("head_sha");

-- CreateIndex
CREATE UNIQUE INDEX "merge_request_project_id_iid_key" ON "merge_request"("project_id", "iid");

-- CreateIndex
CREATE INDEX "commit_sha_idx" ON "commit"("sha");

-- CreateIndex
CREATE INDEX "merge_request_commit_sha_idx" ON "merge_request_commit"("sha");

-- CreateIndex
CREATE INDEX "pipeline_sha_idx" ON "pipeline"("sha");

-- CreateIndex
CREATE UNIQUE INDEX "pipeline_project_id_external_id_key" ON "pipeline"("project_id", "external_id");

-- CreateIndex
CREATE INDEX "ci_job_external_id_idx" ON "ci_job"("external_id");

-- CreateIndex
CREATE INDEX "ci_job_sha_idx" ON "ci_job"("sha");

-- CreateIndex
CREATE UNIQUE INDEX "ci_job_project_id_external_id_key" ON "ci_job"("project_id", "external_id");

-- CreateIndex
CREATE UNIQUE INDEX "build_external_id_key" ON "build"("external_id");

-- CreateIndex
CREATE INDEX "build_commit_sha_idx" ON "build"("commit_sha");

-- CreateIndex
CREATE INDEX "build_gitlab_pipeline_id_idx" ON "build"("gitlab_pipeline_id");

-- CreateIndex
CREATE UNIQUE INDEX "build_pipeline_slug_number_key" ON "build"("pipeline_slug", "number");

-- CreateIndex
CREATE UNIQUE INDEX "build_job_external_id_key" ON "build_job"("external_id");

-- CreateIndex
CREATE INDEX "build_job_build_id_idx" ON "build_job"("build_id");

-- CreateIndex
CREATE INDEX "deployment_occurred_at_id_idx" ON "deployment"("occurred_at", "id");

-- CreateIndex
CREATE INDEX "deployment_environment_occurred_at_idx" ON "deployment"("environment", "occurred_at");

-- CreateIndex
CREATE INDEX "deployment_commit_sha_idx" ON "deployment"("commit_sha");

-- CreateIndex
CREATE UNIQUE INDEX "deployment_provider_external_id_key" ON "deployment"("provider", "external_id");

-- CreateIndex
CREATE INDEX "fact_evidence_delivery_id_idx" ON "fact_evidence"("delivery_id");

-- CreateIndex
CREATE UNIQUE INDEX "timeline_event_key_key" ON "timeline_event"("key");

-- CreateIndex
CREATE INDEX "timeline_event_occurred_at_id_idx" ON "timeline_event"("occurred_at", "id");

-- CreateIndex
CREATE INDEX "timeline_event_kind_occurred_at_idx" ON "timeline_event"("kind", "occurred_at");

-- CreateIndex
CREATE INDEX "timeline_event_project_path_occurred_at_idx" ON "timeline_event"("project_path", "occurred_at");

-- CreateIndex
CREATE INDEX "timeline_event_environment_occurred_at_idx" ON "timeline_event"("environment", "occurred_at");

-- CreateIndex
CREATE INDEX "timeline_event_account_id_occurred_at_idx" ON "timeline_event"("account_id", "occurred_at");

-- CreateIndex
CREATE INDEX "timeline_event_sha_idx" ON "timeline_event"("sha");

-- CreateIndex
CREATE INDEX "account_username_idx" ON "account"("username");

-- CreateIndex
CREATE INDEX "account_person_id_idx" ON "account"("person_id");

-- CreateIndex
CREATE UNIQUE INDEX "account_system_external_id_key" ON "account"("system", "external_id");

-- AddForeignKey
ALTER TABLE "merge_request" ADD CONSTRAINT "merge_request_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "project"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "merge_request" ADD CONSTRAINT "merge_request_author_account_id_fkey" FOREIGN KEY ("author_account_id") REFERENCES "account"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "merge_request" ADD CONSTRAINT "merge_request_merged_by_account_id_fkey" FOREIGN KEY ("merged_by_account_id") REFERENCES "account"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "merge_request_approval" ADD CONSTRAINT "merge_request_approval_merge_request_id_fkey" FOREIGN KEY ("merge_request_id") REFERENCES "merge_request"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "merge_request_approval" ADD CONSTRAINT "merge_request_approval_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "merge_request_commit" ADD CONSTRAINT "merge_request_commit_merge_request_id_fkey" FOREIGN KEY ("merge_request_id") REFERENCES "merge_request"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "pipeline" ADD CONSTRAINT "pipeline_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "project"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "pipeline" ADD CONSTRAINT "pipeline_triggered_by_account_id_fkey" FOREIGN KEY ("triggered_by_account_id") REFERENCES "account"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ci_job" ADD CONSTRAINT "ci_job_pipeline_id_fkey" FOREIGN KEY ("pipeline_id") REFERENCES "pipeline"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ci_job" ADD CONSTRAINT "ci_job_user_account_id_fkey" FOREIGN KEY ("user_account_id") REFERENCES "account"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "build" ADD CONSTRAINT "build_creator_account_id_fkey" FOREIGN KEY ("creator_account_id") REFERENCES "account"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "build_job" ADD CONSTRAINT "build_job_build_id_fkey" FOREIGN KEY ("build_id") REFERENCES "build"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "build_job" ADD CONSTRAINT "build_job_unblocked_by_account_id_fkey" FOREIGN KEY ("unblocked_by_account_id") REFERENCES "account"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deployment" ADD CONSTRAINT "deployment_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "project"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deployment" ADD CONSTRAINT "deployment_triggered_by_account_id_fkey" FOREIGN KEY ("triggered_by_account_id") REFERENCES "account"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "fact_evidence" ADD CONSTRAINT "fact_evidence_delivery_id_fkey" FOREIGN KEY ("delivery_id") REFERENCES "delivery"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "account" ADD CONSTRAINT "account_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "person"("id") ON DELETE SET NULL ON UPDATE CASCADE;
