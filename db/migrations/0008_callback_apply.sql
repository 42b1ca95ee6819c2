CREATE TABLE "callback_refusal_counts" (
	"account_id" text NOT NULL,
	"reason" text NOT NULL,
	"count" bigint DEFAULT 0 NOT NULL,
	"last_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "callback_refusal_counts_account_id_reason_pk" PRIMARY KEY("account_id","reason")
);
--> statement-breakpoint
ALTER TABLE "callback_events" ADD COLUMN "applied_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "callback_events" ADD COLUMN "apply_error" text;--> statement-breakpoint
CREATE INDEX "callback_events_unapplied_idx" ON "callback_events" USING btree ("account_id") WHERE "callback_events"."event" = 'MASSSENDJOBFINISH' and "callback_events"."applied_at" is null;--> statement-breakpoint
-- hand-written: results applied before this migration are marked applied (batch_id was set by the apply).
UPDATE "callback_events" SET "applied_at" = "received_at" WHERE "batch_id" IS NOT NULL;
