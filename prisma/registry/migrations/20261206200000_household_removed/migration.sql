-- 清退: a household removed from the registry (history kept).
ALTER TYPE "HouseholdStatus" ADD VALUE 'REMOVED';
