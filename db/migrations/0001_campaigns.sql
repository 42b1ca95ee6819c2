CREATE TABLE "audience_list_chunks" (
	"list_id" text NOT NULL,
	"seq" integer NOT NULL,
	"first" integer NOT NULL,
	"count" integer NOT NULL,
	"openids" text NOT NULL,
	CONSTRAINT "audience_list_chunks_list_id_seq_pk" PRIMARY KEY("list_id","seq")
);
--> statement-breakpoint
CREATE TABLE "audience_lists" (
	"id" text PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"name" text NOT NULL,
	"status" text DEFAULT 'importing' NOT NULL,
	"lines_read" integer DEFAULT 0 NOT NULL,
	"valid_count" integer DEFAULT 0 NOT NULL,
	"invalid_count" integer DEFAULT 0 NOT NULL,
	"duplicate_count" integer DEFAULT 0 NOT NULL,
	"blank_count" integer DEFAULT 0 NOT NULL,
	"invalid_samples" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"error" text,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "campaign_approvals" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"campaign_id" text NOT NULL,
	"requested_by" text,
	"scheduled_at" timestamp with time zone,
	"decided_by" text,
	"decision" text,
	"comment" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "campaign_batches" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"campaign_id" text NOT NULL,
	"account_id" text NOT NULL,
	"seq" integer NOT NULL,
	"kind" text NOT NULL,
	"list_from" integer,
	"recipient_count" integer,
	"client_msg_id" text NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone,
	"claimed_at" timestamp with time zone,
	"msg_id" text,
	"msg_data_id" text,
	"errcode" integer,
	"errmsg" text,
	"submitted_at" timestamp with time zone,
	"wechat_status" text,
	"status_checked_at" timestamp with time zone,
	"result_status" text,
	"total_count" integer,
	"filter_count" integer,
	"sent_count" integer,
	"error_count" integer,
	"copyright" jsonb,
	"article_urls" jsonb,
	"result_at" timestamp with time zone,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "campaigns" (
	"id" text PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"name" text NOT NULL,
	"state" text DEFAULT 'draft' NOT NULL,
	"message_type" text NOT NULL,
	"message" jsonb NOT NULL,
	"message_version" integer DEFAULT 1 NOT NULL,
	"search_text" text DEFAULT '' NOT NULL,
	"send_ignore_reprint" smallint DEFAULT 0 NOT NULL,
	"audience_kind" text NOT NULL,
	"tag_id" integer,
	"tag_name" text,
	"audience_list_id" text,
	"audience_size" integer,
	"scheduled_at" timestamp with time zone,
	"created_by" text,
	"approval_requested_by" text,
	"approved_by" text,
	"sent_by" text,
	"paused_reason" text,
	"last_error" text,
	"total_count" integer,
	"filter_count" integer,
	"sent_count" integer,
	"error_count" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"submitted_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "preview_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"user_id" text,
	"campaign_id" text,
	"towxname" text,
	"touser" text,
	"msg_id" text,
	"errcode" integer,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "callback_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"dedupe_key" text NOT NULL,
	"msg_type" text NOT NULL,
	"event" text,
	"from_user" text,
	"create_time" integer,
	"raw_xml" text NOT NULL,
	"parsed" jsonb NOT NULL,
	"batch_id" bigint,
	"relay_status" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "callback_nonces" (
	"key" text PRIMARY KEY NOT NULL,
	"event_key" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "callback_refusals" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"account_id" text,
	"reason" text NOT NULL,
	"remote" text,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "audience_list_chunks" ADD CONSTRAINT "audience_list_chunks_list_id_audience_lists_id_fk" FOREIGN KEY ("list_id") REFERENCES "public"."audience_lists"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audience_lists" ADD CONSTRAINT "audience_lists_account_id_wechat_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."wechat_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audience_lists" ADD CONSTRAINT "audience_lists_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_approvals" ADD CONSTRAINT "campaign_approvals_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_approvals" ADD CONSTRAINT "campaign_approvals_requested_by_user_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_approvals" ADD CONSTRAINT "campaign_approvals_decided_by_user_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_batches" ADD CONSTRAINT "campaign_batches_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_account_id_wechat_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."wechat_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_approval_requested_by_user_id_fk" FOREIGN KEY ("approval_requested_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_approved_by_user_id_fk" FOREIGN KEY ("approved_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_sent_by_user_id_fk" FOREIGN KEY ("sent_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audience_lists_account_idx" ON "audience_lists" USING btree ("account_id","created_at");--> statement-breakpoint
CREATE INDEX "campaign_approvals_campaign_idx" ON "campaign_approvals" USING btree ("campaign_id");--> statement-breakpoint
CREATE UNIQUE INDEX "campaign_batches_seq_uq" ON "campaign_batches" USING btree ("campaign_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "campaign_batches_clientmsgid_uq" ON "campaign_batches" USING btree ("account_id","client_msg_id");--> statement-breakpoint
CREATE INDEX "campaign_batches_claim_idx" ON "campaign_batches" USING btree ("state","next_attempt_at");--> statement-breakpoint
CREATE INDEX "campaign_batches_msgid_idx" ON "campaign_batches" USING btree ("account_id","msg_id");--> statement-breakpoint
CREATE INDEX "campaigns_account_created_idx" ON "campaigns" USING btree ("account_id","created_at","id");--> statement-breakpoint
CREATE INDEX "campaigns_account_state_idx" ON "campaigns" USING btree ("account_id","state");--> statement-breakpoint
CREATE INDEX "campaigns_scheduled_idx" ON "campaigns" USING btree ("state","scheduled_at");--> statement-breakpoint
CREATE INDEX "preview_log_account_at_idx" ON "preview_log" USING btree ("account_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "callback_events_dedupe_uq" ON "callback_events" USING btree ("account_id","dedupe_key");--> statement-breakpoint
CREATE INDEX "callback_events_account_at_idx" ON "callback_events" USING btree ("account_id","received_at");--> statement-breakpoint
CREATE INDEX "callback_refusals_account_at_idx" ON "callback_refusals" USING btree ("account_id","at");