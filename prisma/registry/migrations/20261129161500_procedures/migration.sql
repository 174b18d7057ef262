-- CreateEnum
CREATE TYPE "CaseStatus" AS ENUM ('OPEN', 'COMPLETED', 'REJECTED', 'ENDED_BY_OBJECTION', 'REFUSED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "TaskStatus" AS ENUM ('OPEN', 'DECIDED', 'CANCELLED');

-- AlterTable
ALTER TABLE "audit" ADD COLUMN     "case_id" UUID;

-- AlterTable
ALTER TABLE "region" ADD COLUMN     "exit_year" INTEGER;

-- CreateTable
CREATE TABLE "case" (
    "id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "workflow_id" TEXT NOT NULL,
    "household_id" UUID,
    "region_code" CHAR(12) NOT NULL,
    "township_code" CHAR(12) NOT NULL,
    "county_code" CHAR(12) NOT NULL,
    "year" INTEGER NOT NULL,
    "status" "CaseStatus" NOT NULL DEFAULT 'OPEN',
    "step" TEXT NOT NULL DEFAULT 'started',
    "round" INTEGER NOT NULL DEFAULT 1,
    "due_at" TIMESTAMPTZ(3),
    "reason" TEXT NOT NULL,
    "data" JSONB NOT NULL DEFAULT '{}',
    "outcome" TEXT,
    "open_key" TEXT,
    "opened_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "closed_at" TIMESTAMPTZ(3),

    CONSTRAINT "case_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "task" (
    "id" UUID NOT NULL,
    "case_id" UUID NOT NULL,
    "workflow_id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "step" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "region_code" CHAR(12) NOT NULL,
    "status" "TaskStatus" NOT NULL DEFAULT 'OPEN',
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "available_at" TIMESTAMPTZ(3),
    "escalated_role" TEXT,
    "escalated_region" CHAR(12),
    "overdue" BOOLEAN NOT NULL DEFAULT false,
    "reminded" BOOLEAN NOT NULL DEFAULT false,
    "objection_id" UUID,
    "decision" TEXT,
    "comment" TEXT,
    "data" JSONB,
    "decided_by" TEXT,
    "decided_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "task_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notice" (
    "id" UUID NOT NULL,
    "case_id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "region_code" CHAR(12) NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "days" INTEGER NOT NULL,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3) NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'ACTIVE',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closed_at" TIMESTAMPTZ(3),

    CONSTRAINT "notice_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "objection" (
    "id" UUID NOT NULL,
    "notice_id" UUID NOT NULL,
    "submitted_by" TEXT,
    "content" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'OPEN',
    "task_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolved_at" TIMESTAMPTZ(3),

    CONSTRAINT "objection_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "case_workflow_id_key" ON "case"("workflow_id");

-- CreateIndex
CREATE UNIQUE INDEX "case_open_key_key" ON "case"("open_key");

-- CreateIndex
CREATE INDEX "case_region_code_status_idx" ON "case"("region_code", "status");

-- CreateIndex
CREATE INDEX "case_kind_status_idx" ON "case"("kind", "status");

-- CreateIndex
CREATE INDEX "case_household_id_idx" ON "case"("household_id");

-- CreateIndex
CREATE UNIQUE INDEX "task_key_key" ON "task"("key");

-- CreateIndex
CREATE INDEX "task_status_role_region_code_due_at_idx" ON "task"("status", "role", "region_code", "due_at");

-- CreateIndex
CREATE INDEX "task_status_escalated_role_escalated_region_due_at_idx" ON "task"("status", "escalated_role", "escalated_region", "due_at");

-- CreateIndex
CREATE INDEX "task_case_id_idx" ON "task"("case_id");

-- CreateIndex
CREATE UNIQUE INDEX "notice_key_key" ON "notice"("key");

-- CreateIndex
CREATE INDEX "notice_region_code_status_idx" ON "notice"("region_code", "status");

-- CreateIndex
CREATE INDEX "notice_case_id_idx" ON "notice"("case_id");

-- CreateIndex
CREATE INDEX "objection_notice_id_idx" ON "objection"("notice_id");

-- CreateIndex
CREATE INDEX "audit_case_id_at_idx" ON "audit"("case_id", "at");

-- AddForeignKey
ALTER TABLE "task" ADD CONSTRAINT "task_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notice" ADD CONSTRAINT "notice_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "objection" ADD CONSTRAINT "objection_notice_id_fkey" FOREIGN KEY ("notice_id") REFERENCES "notice"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

