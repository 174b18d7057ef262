-- 贫困村: the year a village was designated a poor village (null: not designated).
ALTER TABLE "region" ADD COLUMN "designated_since" INTEGER;
