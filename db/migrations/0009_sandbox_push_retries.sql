ALTER TABLE "sandbox_jobs" ADD COLUMN "callback_due_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "sandbox_jobs_push_idx" ON "sandbox_jobs" USING btree ("callback_due_at");