-- CreateEnum
CREATE TYPE "RegionLevel" AS ENUM ('PROVINCE', 'CITY', 'COUNTY', 'TOWNSHIP', 'VILLAGE');

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('village', 'helper', 'township', 'county', 'admin', 'department');

-- CreateEnum
CREATE TYPE "HouseholdStatus" AS ENUM ('APPLICANT', 'POOR', 'EXITED', 'MONITORED', 'CLOSED');

-- CreateEnum
CREATE TYPE "HouseholdAttribute" AS ENUM ('GENERAL', 'LOW_INCOME', 'FIVE_GUARANTEES', 'LOW_INCOME_POOR');

-- CreateEnum
CREATE TYPE "MonitoringType" AS ENUM ('UNSTABLE_EXITED', 'MARGINAL', 'SUDDEN_HARDSHIP');

-- CreateTable
CREATE TABLE "region" (
    "code" CHAR(12) NOT NULL,
    "name" TEXT NOT NULL,
    "level" "RegionLevel" NOT NULL,
    "parent_code" CHAR(12),
    "western" BOOLEAN NOT NULL DEFAULT false,
    "rural_population" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "region_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "user" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "region_code" CHAR(12) NOT NULL,
    "phone" TEXT,
    "email" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "user_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "household" (
    "id" UUID NOT NULL,
    "number" VARCHAR(20) NOT NULL,
    "village_code" CHAR(12) NOT NULL,
    "head_name" TEXT NOT NULL,
    "status" "HouseholdStatus" NOT NULL,
    "attribute" "HouseholdAttribute" NOT NULL DEFAULT 'GENERAL',
    "main_cause" TEXT NOT NULL,
    "secondary_causes" TEXT[],
    "identified_year" INTEGER,
    "exit_year" INTEGER,
    "returned_year" INTEGER,
    "monitoring_type" "MonitoringType",
    "helper_id" TEXT,
    "address" TEXT,
    "net_income_per_head" INTEGER,
    "member_count" INTEGER NOT NULL DEFAULT 0,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "household_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "member" (
    "id" UUID NOT NULL,
    "household_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "id_hash" CHAR(64) NOT NULL,
    "active_id_hash" CHAR(64),
    "id_cipher" TEXT NOT NULL,
    "id_masked" VARCHAR(18) NOT NULL,
    "relation" TEXT NOT NULL,
    "sex" TEXT NOT NULL,
    "birth_date" DATE NOT NULL,
    "education" TEXT,
    "schooling" TEXT,
    "health" TEXT NOT NULL DEFAULT 'HEALTHY',
    "labour_capacity" TEXT NOT NULL DEFAULT 'NORMAL',
    "work_status" TEXT,
    "medical_insurance" BOOLEAN NOT NULL DEFAULT false,
    "pension_insurance" BOOLEAN NOT NULL DEFAULT false,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "left_at" TIMESTAMPTZ(3),
    "left_reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "member_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "assessment" (
    "id" UUID NOT NULL,
    "household_id" UUID NOT NULL,
    "year" INTEGER NOT NULL,
    "assessed_on" DATE NOT NULL,
    "wage_income" INTEGER NOT NULL,
    "business_income" INTEGER NOT NULL,
    "property_income" INTEGER NOT NULL,
    "transfer_income" INTEGER NOT NULL,
    "production_costs" INTEGER NOT NULL,
    "people" INTEGER NOT NULL,
    "net_income_per_head" INTEGER NOT NULL,
    "food" BOOLEAN NOT NULL,
    "clothing" BOOLEAN NOT NULL,
    "education" BOOLEAN NOT NULL,
    "medical" BOOLEAN NOT NULL,
    "housing" BOOLEAN NOT NULL,
    "water" BOOLEAN NOT NULL,
    "note" TEXT,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "assessment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "assistance_measure" (
    "id" UUID NOT NULL,
    "household_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "amount" INTEGER,
    "started_on" DATE NOT NULL,
    "ended_on" DATE,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "assistance_measure_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "policy" (
    "id" SERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "scope" TEXT NOT NULL DEFAULT '',
    "effective_from" DATE NOT NULL,
    "value" JSONB NOT NULL,
    "note" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "policy_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor_id" TEXT NOT NULL,
    "actor_role" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "entity" TEXT NOT NULL,
    "entity_id" TEXT NOT NULL,
    "household_id" UUID,
    "region_code" CHAR(12),
    "before" JSONB,
    "after" JSONB,
    "request_id" TEXT,

    CONSTRAINT "audit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outbox" (
    "id" UUID NOT NULL,
    "subject" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "published_at" TIMESTAMPTZ(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "leased_until" TIMESTAMPTZ(3),
    "last_error" TEXT,

    CONSTRAINT "outbox_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "import_job" (
    "id" UUID NOT NULL,
    "file_name" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "total_rows" INTEGER NOT NULL DEFAULT 0,
    "ok_rows" INTEGER NOT NULL DEFAULT 0,
    "error_rows" INTEGER NOT NULL DEFAULT 0,
    "errors" JSONB NOT NULL DEFAULT '[]',
    "started_by" TEXT NOT NULL,
    "region_code" CHAR(12) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "import_job_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "household_number_counter" (
    "village_code" CHAR(12) NOT NULL,
    "last" INTEGER NOT NULL,

    CONSTRAINT "household_number_counter_pkey" PRIMARY KEY ("village_code")
);

-- CreateTable
CREATE TABLE "idempotency_key" (
    "key" TEXT NOT NULL,
    "actor_id" TEXT NOT NULL,
    "route" TEXT NOT NULL,
    "status_code" INTEGER NOT NULL,
    "response" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "idempotency_key_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "region_parent_code_idx" ON "region"("parent_code");

-- CreateIndex
CREATE INDEX "region_level_idx" ON "region"("level");

-- CreateIndex
CREATE INDEX "user_role_region_code_idx" ON "user"("role", "region_code");

-- CreateIndex
CREATE UNIQUE INDEX "household_number_key" ON "household"("number");

-- CreateIndex
CREATE INDEX "household_village_code_status_idx" ON "household"("village_code", "status");

-- CreateIndex
CREATE INDEX "household_head_name_idx" ON "household"("head_name");

-- CreateIndex
CREATE UNIQUE INDEX "member_active_id_hash_key" ON "member"("active_id_hash");

-- CreateIndex
CREATE INDEX "member_household_id_idx" ON "member"("household_id");

-- CreateIndex
CREATE INDEX "member_id_hash_idx" ON "member"("id_hash");

-- CreateIndex
CREATE INDEX "assessment_household_id_assessed_on_idx" ON "assessment"("household_id", "assessed_on");

-- CreateIndex
CREATE INDEX "assistance_measure_household_id_idx" ON "assistance_measure"("household_id");

-- CreateIndex
CREATE UNIQUE INDEX "policy_key_scope_effective_from_key" ON "policy"("key", "scope", "effective_from");

-- CreateIndex
CREATE INDEX "audit_household_id_at_idx" ON "audit"("household_id", "at");

-- CreateIndex
CREATE INDEX "audit_entity_entity_id_idx" ON "audit"("entity", "entity_id");

-- CreateIndex
CREATE INDEX "outbox_published_at_created_at_idx" ON "outbox"("published_at", "created_at");

-- AddForeignKey
ALTER TABLE "region" ADD CONSTRAINT "region_parent_code_fkey" FOREIGN KEY ("parent_code") REFERENCES "region"("code") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "user" ADD CONSTRAINT "user_region_code_fkey" FOREIGN KEY ("region_code") REFERENCES "region"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "household" ADD CONSTRAINT "household_village_code_fkey" FOREIGN KEY ("village_code") REFERENCES "region"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "household" ADD CONSTRAINT "household_helper_id_fkey" FOREIGN KEY ("helper_id") REFERENCES "user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "member" ADD CONSTRAINT "member_household_id_fkey" FOREIGN KEY ("household_id") REFERENCES "household"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "assessment" ADD CONSTRAINT "assessment_household_id_fkey" FOREIGN KEY ("household_id") REFERENCES "household"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "assistance_measure" ADD CONSTRAINT "assistance_measure_household_id_fkey" FOREIGN KEY ("household_id") REFERENCES "household"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Audit is append-only (档案留痕): the database itself rejects UPDATE, DELETE and TRUNCATE,
-- whatever the application does.
CREATE FUNCTION "audit_is_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit is append-only: % rejected', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER "audit_no_update_or_delete" BEFORE UPDATE OR DELETE ON "audit"
  FOR EACH ROW EXECUTE FUNCTION "audit_is_append_only"();

CREATE TRIGGER "audit_no_truncate" BEFORE TRUNCATE ON "audit"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_is_append_only"();
