ALTER TABLE "campaign_batches" ADD COLUMN "deleted_articles" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
CREATE INDEX "campaigns_account_sent_idx" ON "campaigns" USING btree ("account_id",coalesce("started_at", '1970-01-01 00:00:00+00'::timestamptz),"id");--> statement-breakpoint
CREATE INDEX "campaigns_account_name_idx" ON "campaigns" USING btree ("account_id","name","id");--> statement-breakpoint
CREATE INDEX "campaigns_account_delivered_idx" ON "campaigns" USING btree ("account_id",coalesce("sent_count", -1),"id");--> statement-breakpoint
CREATE INDEX "campaigns_created_idx" ON "campaigns" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "campaigns_sent_idx" ON "campaigns" USING btree (coalesce("started_at", '1970-01-01 00:00:00+00'::timestamptz),"id");--> statement-breakpoint
CREATE INDEX "campaigns_name_idx" ON "campaigns" USING btree ("name","id");--> statement-breakpoint
CREATE INDEX "campaigns_delivered_idx" ON "campaigns" USING btree (coalesce("sent_count", -1),"id");