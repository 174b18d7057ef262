-- #24: records made offline keep both times; photos of evidence in a table of their own.
-- AlterTable
ALTER TABLE "visit" ADD COLUMN "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;
-- AlterTable
ALTER TABLE "verification" ADD COLUMN "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;
-- CreateTable
CREATE TABLE "photo" (
    "id" UUID NOT NULL,
    "household_id" UUID NOT NULL,
    "case_id" UUID,
    "task_id" UUID,
    "label" TEXT NOT NULL,
    "content_type" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "bytes" BYTEA NOT NULL,
    "uploaded_by" TEXT NOT NULL,
    "taken_at" TIMESTAMPTZ(3) NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "photo_pkey" PRIMARY KEY ("id")
);
-- CreateIndex
CREATE INDEX "photo_case_id_idx" ON "photo"("case_id");
-- CreateIndex
CREATE INDEX "photo_task_id_idx" ON "photo"("task_id");
-- CreateIndex
CREATE INDEX "photo_household_id_received_at_idx" ON "photo"("household_id", "received_at");
