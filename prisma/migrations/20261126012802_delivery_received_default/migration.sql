-- AlterTable
ALTER TABLE "delivery" ALTER COLUMN "processing_state" SET DEFAULT 'received';
