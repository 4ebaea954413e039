-- CreateTable
CREATE TABLE "AuthoredLesson" (
    "id" TEXT NOT NULL,
    "editSecretHash" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "sentence" TEXT NOT NULL,
    "draft" JSONB NOT NULL,
    "lesson" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AuthoredLesson_pkey" PRIMARY KEY ("id")
);
