-- CreateTable
CREATE TABLE "triage_alert" (
    "alert_id" UUID NOT NULL,
    "household_id" UUID,
    "risky" BOOLEAN NOT NULL DEFAULT false,
    "opened_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decided_at" TIMESTAMPTZ(3),

    CONSTRAINT "triage_alert_pkey" PRIMARY KEY ("alert_id")
);

-- CreateIndex
CREATE INDEX "triage_alert_household_id_idx" ON "triage_alert"("household_id");

