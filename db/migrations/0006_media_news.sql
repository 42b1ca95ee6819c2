CREATE TABLE "media_items" (
	"id" text PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"kind" text NOT NULL,
	"storage" text DEFAULT 'permanent' NOT NULL,
	"media_id" text,
	"url" text,
	"filename" text NOT NULL,
	"mime" text NOT NULL,
	"size" integer NOT NULL,
	"width" integer,
	"height" integer,
	"duration_ms" integer,
	"title" text,
	"description" text,
	"conversion" jsonb,
	"source_url" text,
	"sha256" text NOT NULL,
	"bytes" "bytea" NOT NULL,
	"preview" "bytea",
	"expires_at" timestamp with time zone,
	"uploaded_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "media_mass_videos" (
	"id" text PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"media_item_id" text NOT NULL,
	"mass_media_id" text NOT NULL,
	"title" text NOT NULL,
	"description" text NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "news_drafts" (
	"id" text PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"articles" jsonb NOT NULL,
	"search_text" text DEFAULT '' NOT NULL,
	"created_by" text,
	"updated_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "news_uploads" (
	"id" text PRIMARY KEY NOT NULL,
	"draft_id" text NOT NULL,
	"account_id" text NOT NULL,
	"version" integer NOT NULL,
	"media_id" text NOT NULL,
	"titles" jsonb NOT NULL,
	"payload" jsonb NOT NULL,
	"uploaded_by" text,
	"uploaded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "media_items" ADD CONSTRAINT "media_items_account_id_wechat_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."wechat_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "media_items" ADD CONSTRAINT "media_items_uploaded_by_user_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "media_mass_videos" ADD CONSTRAINT "media_mass_videos_account_id_wechat_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."wechat_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "media_mass_videos" ADD CONSTRAINT "media_mass_videos_media_item_id_media_items_id_fk" FOREIGN KEY ("media_item_id") REFERENCES "public"."media_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "media_mass_videos" ADD CONSTRAINT "media_mass_videos_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "news_drafts" ADD CONSTRAINT "news_drafts_account_id_wechat_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."wechat_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "news_drafts" ADD CONSTRAINT "news_drafts_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "news_drafts" ADD CONSTRAINT "news_drafts_updated_by_user_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "news_uploads" ADD CONSTRAINT "news_uploads_draft_id_news_drafts_id_fk" FOREIGN KEY ("draft_id") REFERENCES "public"."news_drafts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "news_uploads" ADD CONSTRAINT "news_uploads_account_id_wechat_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."wechat_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "news_uploads" ADD CONSTRAINT "news_uploads_uploaded_by_user_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "media_items_account_created_idx" ON "media_items" USING btree ("account_id","created_at");--> statement-breakpoint
CREATE INDEX "media_items_account_kind_idx" ON "media_items" USING btree ("account_id","kind");--> statement-breakpoint
CREATE INDEX "media_items_account_source_idx" ON "media_items" USING btree ("account_id","source_url");--> statement-breakpoint
CREATE INDEX "media_mass_videos_item_idx" ON "media_mass_videos" USING btree ("media_item_id");--> statement-breakpoint
CREATE INDEX "media_mass_videos_account_idx" ON "media_mass_videos" USING btree ("account_id","created_at");--> statement-breakpoint
CREATE INDEX "news_drafts_account_updated_idx" ON "news_drafts" USING btree ("account_id","updated_at");--> statement-breakpoint
CREATE INDEX "news_uploads_draft_idx" ON "news_uploads" USING btree ("draft_id","uploaded_at");--> statement-breakpoint
CREATE INDEX "news_uploads_account_idx" ON "news_uploads" USING btree ("account_id","uploaded_at");