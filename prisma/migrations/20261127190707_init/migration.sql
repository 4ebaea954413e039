-- CreateEnum
CREATE TYPE "SessionPhase" AS ENUM ('lobby', 'cards', 'negotiate', 'locked', 'reveal', 'podium', 'ended');

-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "lessonId" TEXT NOT NULL,
    "lesson" JSONB NOT NULL,
    "settings" JSONB NOT NULL,
    "hostSecretHash" TEXT NOT NULL,
    "phase" "SessionPhase" NOT NULL DEFAULT 'lobby',
    "snapshot" JSONB NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "endedAt" TIMESTAMP(3),

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Player" (
    "id" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "nickname" TEXT NOT NULL,
    "realName" TEXT,
    "secretHash" TEXT NOT NULL,
    "kicked" BOOLEAN NOT NULL DEFAULT false,
    "joinedAt" TIMESTAMP(3) NOT NULL,
    "totalScore" DOUBLE PRECISION NOT NULL DEFAULT 0,

    CONSTRAINT "Player_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Round" (
    "id" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "scale" BOOLEAN NOT NULL,
    "temperature" DOUBLE PRECISION NOT NULL,
    "causal" BOOLEAN NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "lockedAt" TIMESTAMP(3),
    "revealedAt" TIMESTAMP(3),

    CONSTRAINT "Round_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Allocation" (
    "id" TEXT NOT NULL,
    "roundId" TEXT NOT NULL,
    "playerId" TEXT NOT NULL,
    "seat" INTEGER NOT NULL,
    "token" INTEGER NOT NULL,
    "head" INTEGER NOT NULL,
    "weights" DOUBLE PRECISION[],
    "lockedAt" TIMESTAMP(3),

    CONSTRAINT "Allocation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RoundResult" (
    "id" TEXT NOT NULL,
    "roundId" TEXT NOT NULL,
    "trueAttention" JSONB NOT NULL,
    "classScore" DOUBLE PRECISION,

    CONSTRAINT "RoundResult_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PlayerResult" (
    "id" TEXT NOT NULL,
    "roundId" TEXT NOT NULL,
    "playerId" TEXT NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "bonus" DOUBLE PRECISION NOT NULL,
    "cosine" DOUBLE PRECISION NOT NULL,
    "overWeightedToken" INTEGER,
    "overWeightedBy" DOUBLE PRECISION,

    CONSTRAINT "PlayerResult_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SoloRun" (
    "id" TEXT NOT NULL,
    "learnerId" TEXT NOT NULL,
    "nickname" TEXT,
    "lessonId" TEXT NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "stars" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SoloRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SoloProgress" (
    "learnerId" TEXT NOT NULL,
    "lessonId" TEXT NOT NULL,
    "bestScore" DOUBLE PRECISION NOT NULL,
    "stars" INTEGER NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SoloProgress_pkey" PRIMARY KEY ("learnerId","lessonId")
);

-- CreateIndex
CREATE UNIQUE INDEX "Session_code_key" ON "Session"("code");

-- CreateIndex
CREATE INDEX "Session_endedAt_idx" ON "Session"("endedAt");

-- CreateIndex
CREATE INDEX "Session_lessonId_idx" ON "Session"("lessonId");

-- CreateIndex
CREATE UNIQUE INDEX "Player_secretHash_key" ON "Player"("secretHash");

-- CreateIndex
CREATE UNIQUE INDEX "Player_sessionId_nickname_key" ON "Player"("sessionId", "nickname");

-- CreateIndex
CREATE UNIQUE INDEX "Round_sessionId_number_key" ON "Round"("sessionId", "number");

-- CreateIndex
CREATE INDEX "Allocation_playerId_idx" ON "Allocation"("playerId");

-- CreateIndex
CREATE UNIQUE INDEX "Allocation_roundId_playerId_key" ON "Allocation"("roundId", "playerId");

-- CreateIndex
CREATE UNIQUE INDEX "RoundResult_roundId_key" ON "RoundResult"("roundId");

-- CreateIndex
CREATE INDEX "PlayerResult_playerId_idx" ON "PlayerResult"("playerId");

-- CreateIndex
CREATE UNIQUE INDEX "PlayerResult_roundId_playerId_key" ON "PlayerResult"("roundId", "playerId");

-- CreateIndex
CREATE INDEX "SoloRun_lessonId_score_idx" ON "SoloRun"("lessonId", "score");

-- CreateIndex
CREATE INDEX "SoloRun_learnerId_idx" ON "SoloRun"("learnerId");

-- AddForeignKey
ALTER TABLE "Player" ADD CONSTRAINT "Player_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "Session"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Round" ADD CONSTRAINT "Round_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "Session"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Allocation" ADD CONSTRAINT "Allocation_roundId_fkey" FOREIGN KEY ("roundId") REFERENCES "Round"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Allocation" ADD CONSTRAINT "Allocation_playerId_fkey" FOREIGN KEY ("playerId") REFERENCES "Player"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RoundResult" ADD CONSTRAINT "RoundResult_roundId_fkey" FOREIGN KEY ("roundId") REFERENCES "Round"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlayerResult" ADD CONSTRAINT "PlayerResult_roundId_fkey" FOREIGN KEY ("roundId") REFERENCES "Round"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlayerResult" ADD CONSTRAINT "PlayerResult_playerId_fkey" FOREIGN KEY ("playerId") REFERENCES "Player"("id") ON DELETE CASCADE ON UPDATE CASCADE;
