-- AlterTable
ALTER TABLE "household" ADD COLUMN     "monitored_since" TIMESTAMPTZ(3),
ADD COLUMN     "risk_eliminated_at" TIMESTAMPTZ(3),
ADD COLUMN     "status_before_monitoring" "HouseholdStatus";

-- AlterTable
ALTER TABLE "task" ADD COLUMN     "assignee_id" TEXT;

-- CreateTable
CREATE TABLE "visit" (
    "id" UUID NOT NULL,
    "household_id" UUID NOT NULL,
    "case_id" UUID NOT NULL,
    "task_id" UUID NOT NULL,
    "visited_by" TEXT NOT NULL,
    "visited_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "income_change" TEXT NOT NULL,
    "new_risks" TEXT[],
    "needs" JSONB NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "risky" BOOLEAN NOT NULL,
    "late" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "visit_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "visit_task_id_key" ON "visit"("task_id");

-- CreateIndex
CREATE INDEX "visit_household_id_visited_at_idx" ON "visit"("household_id", "visited_at");

-- CreateIndex
CREATE INDEX "task_status_assignee_id_due_at_idx" ON "task"("status", "assignee_id", "due_at");

