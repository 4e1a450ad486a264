-- AlterEnum
ALTER TYPE "ProcessingState" ADD VALUE 'received';
