-- CreateTable
CREATE TABLE "credential" (
    "id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "provider" TEXT,
    "issuer" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "audience" TEXT,
    "jti" TEXT,
    "issued_at" TIMESTAMPTZ(6) NOT NULL,
    "not_before" TIMESTAMPTZ(6),
    "expires_at" TIMESTAMPTZ(6) NOT NULL,
    "job_external_id" TEXT,
    "pipeline_external_id" TEXT,
    "pipeline_slug" TEXT,
    "ref" TEXT,
    "ref_protected" TEXT,
    "sha" TEXT,
    "environment" TEXT,
    "user_login" TEXT,
    "step_key" TEXT,
    "claims" JSONB NOT NULL,

    CONSTRAINT "credential_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "role_session" (
    "id" UUID NOT NULL,
    "event_id" TEXT NOT NULL,
    "role_arn" TEXT,
    "session_name" TEXT,
    "subject" TEXT,
    "audience" TEXT,
    "provider" TEXT,
    "source_ip" TEXT,
    "issued_at" TIMESTAMPTZ(6) NOT NULL,
    "expires_at" TIMESTAMPTZ(6),
    "access_key_id" TEXT,
    "account_id" TEXT,
    "error_code" TEXT,
    "job_external_id" TEXT,

    CONSTRAINT "role_session_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "credential_key_key" ON "credential"("key");

-- CreateIndex
CREATE INDEX "credential_job_external_id_idx" ON "credential"("job_external_id");

-- CreateIndex
CREATE INDEX "credential_subject_idx" ON "credential"("subject");

-- CreateIndex
CREATE INDEX "credential_issued_at_idx" ON "credential"("issued_at");

-- CreateIndex
CREATE UNIQUE INDEX "role_session_event_id_key" ON "role_session"("event_id");

-- CreateIndex
CREATE INDEX "role_session_job_external_id_idx" ON "role_session"("job_external_id");

-- CreateIndex
CREATE INDEX "role_session_subject_idx" ON "role_session"("subject");

-- CreateIndex
CREATE INDEX "role_session_issued_at_idx" ON "role_session"("issued_at");
