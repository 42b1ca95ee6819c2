CREATE TABLE "sandbox_job_exclusions" (
	"msg_id" bigint NOT NULL,
	"openid" text NOT NULL,
	CONSTRAINT "sandbox_job_exclusions_msg_id_openid_pk" PRIMARY KEY("msg_id","openid")
);
--> statement-breakpoint
ALTER TABLE "sandbox_deliveries" RENAME TO "sandbox_list_deliveries";--> statement-breakpoint
DROP INDEX "sandbox_deliveries_inbox_idx";--> statement-breakpoint
ALTER TABLE "sandbox_list_deliveries" DROP CONSTRAINT "sandbox_deliveries_msg_id_openid_pk";--> statement-breakpoint
ALTER TABLE "sandbox_list_deliveries" ADD CONSTRAINT "sandbox_list_deliveries_msg_id_openid_pk" PRIMARY KEY("msg_id","openid");--> statement-breakpoint
ALTER TABLE "sandbox_jobs" ADD COLUMN "audience_kind" text;--> statement-breakpoint
ALTER TABLE "sandbox_jobs" ADD COLUMN "audience_tag_id" integer;--> statement-breakpoint
CREATE INDEX "sandbox_job_exclusions_openid_idx" ON "sandbox_job_exclusions" USING btree ("openid");--> statement-breakpoint
CREATE INDEX "sandbox_list_deliveries_inbox_idx" ON "sandbox_list_deliveries" USING btree ("appid","openid","at");--> statement-breakpoint
CREATE INDEX "sandbox_jobs_audience_idx" ON "sandbox_jobs" USING btree ("appid","audience_kind","finished_at");--> statement-breakpoint
CREATE VIEW "public"."sandbox_deliveries" AS (
  select d.msg_id, d.appid, d.openid, d.preview, d.at from sandbox_list_deliveries d
  union all
  select j.msg_id, j.appid, f.openid, false, j.finished_at
  from sandbox_jobs j join sandbox_followers f on f.appid = j.appid
  where j.audience_kind = 'all' and j.result_status = 'send success'
    and not exists (select 1 from sandbox_job_exclusions x where x.msg_id = j.msg_id and x.openid = f.openid)
  union all
  select j.msg_id, j.appid, m.openid, false, j.finished_at
  from sandbox_jobs j join sandbox_tag_members m on m.appid = j.appid and m.tag_id = j.audience_tag_id
  where j.audience_kind = 'tag' and j.result_status = 'send success'
    and not exists (select 1 from sandbox_job_exclusions x where x.msg_id = j.msg_id and x.openid = m.openid));