-- CreateTable
CREATE TABLE "approval_decision" (
    "id" UUID NOT NULL,
    "build_job_id" UUID NOT NULL,
    "approver_key" TEXT NOT NULL,
    "decision" TEXT NOT NULL,
    "user_id" UUID,
    "token_id" UUID,
    "person_id" UUID,
    "actor_label" TEXT NOT NULL,
    "buildkite_user_id" TEXT,
    "reason" TEXT,
    "fields" JSONB,
    "policy" JSONB NOT NULL,
    "verdict" JSONB NOT NULL,
    "decided_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "approval_decision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "gate_action" (
    "build_job_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "decision_id" UUID NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 1,
    "message" TEXT,
    "response" JSONB,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "gate_action_pkey" PRIMARY KEY ("build_job_id")
);

-- CreateIndex
CREATE INDEX "approval_decision_decided_at_id_idx" ON "approval_decision"("decided_at", "id");

-- CreateIndex
CREATE UNIQUE INDEX "approval_decision_build_job_id_approver_key_key" ON "approval_decision"("build_job_id", "approver_key");

-- AddForeignKey
ALTER TABLE "approval_decision" ADD CONSTRAINT "approval_decision_build_job_id_fkey" FOREIGN KEY ("build_job_id") REFERENCES "build_job"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "gate_action" ADD CONSTRAINT "gate_action_build_job_id_fkey" FOREIGN KEY ("build_job_id") REFERENCES "build_job"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
