-- CreateTable
CREATE TABLE "problem_item" (
    "id" UUID NOT NULL,
    "case_id" UUID NOT NULL,
    "household_id" UUID NOT NULL,
    "household_number" TEXT NOT NULL,
    "village_code" CHAR(12) NOT NULL,
    "township_code" CHAR(12) NOT NULL,
    "rule" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "fix_by" TIMESTAMPTZ(3) NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'OPEN',
    "explanation" TEXT,
    "explained_by" TEXT,
    "review_comment" TEXT,
    "reviewed_by" TEXT,
    "closed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "problem_item_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "problem_item_case_id_township_code_status_idx" ON "problem_item"("case_id", "township_code", "status");

-- CreateIndex
CREATE UNIQUE INDEX "problem_item_case_id_household_id_rule_key" ON "problem_item"("case_id", "household_id", "rule");

