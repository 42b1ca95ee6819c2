CREATE TABLE "sandbox_apps" (
	"appid" text PRIMARY KEY NOT NULL,
	"secret" text NOT NULL,
	"name" text NOT NULL,
	"gh_id" text NOT NULL,
	"type" text NOT NULL,
	"verified" boolean DEFAULT true NOT NULL,
	"callback_token" text NOT NULL,
	"aes_key" text NOT NULL,
	"message_mode" text DEFAULT 'safe' NOT NULL,
	"callback_url" text,
	"speed" integer DEFAULT 0 NOT NULL,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sandbox_clientmsgids" (
	"appid" text NOT NULL,
	"client_msg_id" text NOT NULL,
	"msg_id" bigint,
	"first_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sandbox_clientmsgids_appid_client_msg_id_pk" PRIMARY KEY("appid","client_msg_id")
);
--> statement-breakpoint
CREATE TABLE "sandbox_counters" (
	"appid" text NOT NULL,
	"key" text NOT NULL,
	"count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "sandbox_counters_appid_key_pk" PRIMARY KEY("appid","key")
);
--> statement-breakpoint
CREATE TABLE "sandbox_deliveries" (
	"msg_id" bigint NOT NULL,
	"appid" text NOT NULL,
	"openid" text NOT NULL,
	"preview" boolean DEFAULT false NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sandbox_deliveries_msg_id_openid_pk" PRIMARY KEY("msg_id","openid")
);
--> statement-breakpoint
CREATE TABLE "sandbox_followers" (
	"appid" text NOT NULL,
	"openid" text NOT NULL,
	"seq" integer NOT NULL,
	"wechat_id" text,
	"nickname" text NOT NULL,
	CONSTRAINT "sandbox_followers_appid_openid_pk" PRIMARY KEY("appid","openid")
);
--> statement-breakpoint
CREATE TABLE "sandbox_jobs" (
	"msg_id" bigserial PRIMARY KEY NOT NULL,
	"appid" text NOT NULL,
	"msg_data_id" bigint,
	"msgtype" text NOT NULL,
	"body" jsonb NOT NULL,
	"target" jsonb NOT NULL,
	"is_to_all" boolean DEFAULT false NOT NULL,
	"preview" boolean DEFAULT false NOT NULL,
	"send_ignore_reprint" integer DEFAULT 0 NOT NULL,
	"client_msg_id" text,
	"status" text DEFAULT 'SENDING' NOT NULL,
	"result_status" text,
	"due_at" timestamp with time zone NOT NULL,
	"total_count" integer,
	"filter_count" integer,
	"sent_count" integer,
	"error_count" integer,
	"callback_state" text,
	"callback_attempts" integer DEFAULT 0 NOT NULL,
	"callback_log" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "sandbox_media" (
	"id" text PRIMARY KEY NOT NULL,
	"appid" text NOT NULL,
	"kind" text NOT NULL,
	"permanent" boolean DEFAULT false NOT NULL,
	"mime" text,
	"size" integer DEFAULT 0 NOT NULL,
	"bytes" "bytea",
	"meta" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"expires_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sandbox_tag_members" (
	"appid" text NOT NULL,
	"tag_id" integer NOT NULL,
	"openid" text NOT NULL,
	CONSTRAINT "sandbox_tag_members_appid_tag_id_openid_pk" PRIMARY KEY("appid","tag_id","openid")
);
--> statement-breakpoint
CREATE TABLE "sandbox_tags" (
	"appid" text NOT NULL,
	"id" integer NOT NULL,
	"name" text NOT NULL,
	CONSTRAINT "sandbox_tags_appid_id_pk" PRIMARY KEY("appid","id")
);
--> statement-breakpoint
CREATE TABLE "sandbox_tokens" (
	"token" text PRIMARY KEY NOT NULL,
	"appid" text NOT NULL,
	"kind" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"superseded_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "sandbox_deliveries_inbox_idx" ON "sandbox_deliveries" USING btree ("appid","openid","at");--> statement-breakpoint
CREATE INDEX "sandbox_followers_wxid_idx" ON "sandbox_followers" USING btree ("appid","wechat_id");--> statement-breakpoint
CREATE INDEX "sandbox_jobs_due_idx" ON "sandbox_jobs" USING btree ("status","due_at");--> statement-breakpoint
CREATE INDEX "sandbox_jobs_app_idx" ON "sandbox_jobs" USING btree ("appid","created_at");--> statement-breakpoint
CREATE INDEX "sandbox_media_app_idx" ON "sandbox_media" USING btree ("appid","kind");--> statement-breakpoint
CREATE INDEX "sandbox_tokens_app_idx" ON "sandbox_tokens" USING btree ("appid","kind","created_at");