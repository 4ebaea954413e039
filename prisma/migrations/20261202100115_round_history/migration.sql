-- CreateTable
CREATE TABLE "RoundHistory" (
    "sessionId" TEXT NOT NULL,
    "round" INTEGER NOT NULL,
    "results" JSONB NOT NULL,

    CONSTRAINT "RoundHistory_pkey" PRIMARY KEY ("sessionId","round")
);

-- AddForeignKey
ALTER TABLE "RoundHistory" ADD CONSTRAINT "RoundHistory_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "Session"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Existing sessions: their finished rounds move out of the snapshot into rows of their own.
INSERT INTO "RoundHistory" ("sessionId", "round", "results")
SELECT s."id", (h."value"->>'round')::int, h."value"
FROM "Session" s, jsonb_array_elements(COALESCE(s."snapshot"->'history', '[]'::jsonb)) AS h("value")
ON CONFLICT DO NOTHING;
UPDATE "Session" SET "snapshot" = "snapshot" - 'history' WHERE "snapshot" ? 'history';
