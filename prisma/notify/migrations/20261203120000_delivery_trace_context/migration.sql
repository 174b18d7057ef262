-- AlterTable
ALTER TABLE "delivery" ADD COLUMN     "trace_context" TEXT;
