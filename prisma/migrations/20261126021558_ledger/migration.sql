-- CreateEnum
CREATE TYPE "LedgerKind" AS ENUM ('delivery', 'audit');

-- CreateTable
CREATE TABLE "ledger_entry" (
    "seq" BIGINT NOT NULL,
    "kind" "LedgerKind" NOT NULL,
    "ref_id" UUID NOT NULL,
    "leaf_hash" BYTEA NOT NULL,
    "appended_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ledger_entry_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE "ledger_head" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "size" BIGINT NOT NULL DEFAULT 0,
    "frontier" BYTEA[] DEFAULT ARRAY[]::BYTEA[],
    "delivery_floor" TIMESTAMPTZ(6),
    "audit_floor" TIMESTAMPTZ(3),

    CONSTRAINT "ledger_head_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ledger_checkpoint" (
    "number" BIGINT NOT NULL,
    "tree_size" BIGINT NOT NULL,
    "root_hash" BYTEA NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "previous_hash" BYTEA,
    "key_fingerprint" TEXT NOT NULL,
    "statement" TEXT NOT NULL,
    "signature" BYTEA NOT NULL,

    CONSTRAINT "ledger_checkpoint_pkey" PRIMARY KEY ("number")
);

-- CreateIndex
CREATE UNIQUE INDEX "ledger_entry_kind_ref_id_key" ON "ledger_entry"("kind", "ref_id");

-- CreateIndex
CREATE INDEX "ledger_checkpoint_created_at_idx" ON "ledger_checkpoint"("created_at");

-- Append-only: the database refuses to change or remove ledger rows (Prisma cannot express triggers).
CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER ledger_entry_append_only BEFORE UPDATE OR DELETE ON "ledger_entry"
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_entry_no_truncate BEFORE TRUNCATE ON "ledger_entry"
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_checkpoint_append_only BEFORE UPDATE OR DELETE ON "ledger_checkpoint"
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_checkpoint_no_truncate BEFORE TRUNCATE ON "ledger_checkpoint"
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();

-- The one head row every appender locks.
INSERT INTO "ledger_head" ("id", "size", "frontier") VALUES (1, 0, '{}');
