-- AlterTable
ALTER TABLE "Session" ADD COLUMN     "reviewSettings" JSONB;
