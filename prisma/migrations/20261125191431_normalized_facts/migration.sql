-- CreateTable
CREATE TABLE "fact" (
    "id" BIGSERIAL NOT NULL,
    "delivery_id" UUID NOT NULL,
    "entity_type" TEXT NOT NULL,
    "entity_key" TEXT NOT NULL,
    "at" TIMESTAMPTZ(6) NOT NULL,
    "rank" INTEGER NOT NULL DEFAULT 0,
    "tiebreak" TEXT NOT NULL,
    "data" JSONB NOT NULL,

    CONSTRAINT "fact_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "fact_entity_type_entity_key_idx" ON "fact"("entity_type", "entity_key");

-- CreateIndex
CREATE INDEX "fact_delivery_id_idx" ON "fact"("delivery_id");

-- AddForeignKey
ALTER TABLE "fact" ADD CONSTRAINT "fact_delivery_id_fkey" FOREIGN KEY ("delivery_id") REFERENCES "delivery"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
