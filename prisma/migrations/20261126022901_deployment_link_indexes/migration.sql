-- CreateIndex
CREATE INDEX "deployment_build_external_id_idx" ON "deployment"("build_external_id");

-- CreateIndex
CREATE INDEX "deployment_pipeline_external_id_idx" ON "deployment"("pipeline_external_id");
