-- AlterTable
ALTER TABLE "task" ADD COLUMN     "household_id" UUID;

-- CreateTable
CREATE TABLE "verification" (
    "id" UUID NOT NULL,
    "case_id" UUID NOT NULL,
    "task_id" UUID NOT NULL,
    "household_id" UUID NOT NULL,
    "village_code" CHAR(12) NOT NULL,
    "visitors" TEXT[],
    "documents" TEXT[],
    "record" JSONB NOT NULL,
    "findings" JSONB NOT NULL DEFAULT '[]',
    "unmet_criteria" TEXT[],
    "recorded_by" TEXT NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "verification_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "verification_task_id_key" ON "verification"("task_id");

-- CreateIndex
CREATE INDEX "verification_case_id_village_code_idx" ON "verification"("case_id", "village_code");

-- CreateIndex
CREATE INDEX "verification_household_id_idx" ON "verification"("household_id");

