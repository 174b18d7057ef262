-- 公告 as a record of its own: number, date, household and decision; no personal data.
-- CreateTable
CREATE TABLE "announcement" (
    "id" UUID NOT NULL,
    "case_id" UUID NOT NULL,
    "county_code" CHAR(12) NOT NULL,
    "region_code" CHAR(12) NOT NULL,
    "kind" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "seq" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "published_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "announcement_pkey" PRIMARY KEY ("id")
);
-- CreateIndex
CREATE UNIQUE INDEX "announcement_case_id_key" ON "announcement"("case_id");
-- CreateIndex
CREATE INDEX "announcement_region_code_published_at_idx" ON "announcement"("region_code", "published_at");
-- CreateIndex
CREATE UNIQUE INDEX "announcement_county_code_year_seq_key" ON "announcement"("county_code", "year", "seq");
