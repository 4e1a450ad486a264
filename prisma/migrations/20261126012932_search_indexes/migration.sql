-- DropIndex
DROP INDEX "deployment_environment_occurred_at_idx";

-- DropIndex
DROP INDEX "timeline_event_environment_occurred_at_idx";

-- DropIndex
DROP INDEX "timeline_event_kind_occurred_at_idx";

-- DropIndex
DROP INDEX "timeline_event_project_path_occurred_at_idx";

-- CreateIndex
CREATE INDEX "build_gitlab_project_path_idx" ON "build"("gitlab_project_path");

-- CreateIndex
CREATE INDEX "ci_job_pipeline_id_idx" ON "ci_job"("pipeline_id");

-- CreateIndex
CREATE INDEX "deployment_environment_occurred_at_id_idx" ON "deployment"("environment", "occurred_at", "id");

-- CreateIndex
CREATE INDEX "deployment_job_external_id_idx" ON "deployment"("job_external_id");

-- CreateIndex
CREATE INDEX "fact_evidence_entity_id_idx" ON "fact_evidence"("entity_id");

-- CreateIndex
CREATE INDEX "pipeline_external_id_idx" ON "pipeline"("external_id");

-- CreateIndex
CREATE INDEX "timeline_event_kind_occurred_at_id_idx" ON "timeline_event"("kind", "occurred_at", "id");

-- CreateIndex
CREATE INDEX "timeline_event_project_path_occurred_at_id_idx" ON "timeline_event"("project_path", "occurred_at", "id");

-- CreateIndex
CREATE INDEX "timeline_event_environment_occurred_at_id_idx" ON "timeline_event"("environment", "occurred_at", "id");

-- CreateIndex
CREATE INDEX "timeline_event_actor_occurred_at_id_idx" ON "timeline_event"("actor", "occurred_at", "id");

-- CreateIndex
CREATE INDEX "timeline_event_refs_idx" ON "timeline_event" USING GIN ("refs");

-- Below: indexes Prisma cannot declare (expression, operator class, partial). The schema engine ignores
-- expression and partial indexes when it diffs, so `npm run db:drift` stays clean with them in place.

-- Free-text search: one trigram index over everything the search box reads. The query keeps its
-- per-column ILIKE conditions and adds `timeline_search_text(...) ILIKE` as the indexable superset.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE FUNCTION timeline_search_text(title text, actor text, project_path text, refs text[]) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT concat_ws(E'\n', title, actor, project_path, array_to_string(refs, E'\n')) $$;

CREATE INDEX "timeline_event_search_trgm_idx" ON "timeline_event" USING GIN (timeline_search_text("title", "actor", "project_path", "refs") gin_trgm_ops);

-- Short-SHA prefix search (`LIKE 'abc1234%'`) whatever the database collation.
CREATE INDEX "timeline_event_sha_prefix_idx" ON "timeline_event" ("sha" text_pattern_ops) WHERE "sha" IS NOT NULL;
CREATE INDEX "deployment_commit_sha_prefix_idx" ON "deployment" ("commit_sha" text_pattern_ops) WHERE "commit_sha" IS NOT NULL;
CREATE INDEX "deployment_short_sha_prefix_idx" ON "deployment" ("short_sha" text_pattern_ops) WHERE "short_sha" IS NOT NULL;
CREATE INDEX "ci_job_sha_prefix_idx" ON "ci_job" ("sha" text_pattern_ops) WHERE "sha" IS NOT NULL;

-- The overview's gates waiting for approval: a handful of rows among every build job.
CREATE INDEX "build_job_waiting_gate_idx" ON "build_job" ("build_id") WHERE "type" = 'manual' AND "state" = 'blocked';
