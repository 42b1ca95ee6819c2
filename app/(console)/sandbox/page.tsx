import Link from "next/link";
import { notFound } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { toLocale } from "@/lib/i18n/locales";
import { jobStatusMeaning } from "@/lib/wechat/errors";
import { TechnicalDetails } from "@/components/ui/technical-details";
import { getDb } from "@/db/client";
import { requirePageUser } from "@/lib/auth/guard";
import { can } from "@/lib/auth/permissions";
import { env } from "@/lib/config/env";
import { listSandboxApps, listSandboxJobs, sandboxInbox, sandboxTesters } from "@/lib/sandbox";
import { Badge, Card, CardTitle, EmptyState } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { Input, Select } from "@/components/ui/input";
import { Label } from "@/components/ui/field";
import { Button } from "@/components/ui/button";
import { FaultForm } from "./fault-form";
import { InboxMessage } from "./inbox-message";
import { ReseedButton } from "./reseed-button";
import { TagFollowers } from "./tag-followers";

export async function generateMetadata() {
  const t = await getTranslations("sandbox");
  return { title: t("title") };
}

export default async function SandboxPage({ searchParams }: { searchParams: Promise<{ app?: string; who?: string; tag?: string; after?: string }> }) {
  const user = await requirePageUser("read");
  if (!env.sandboxEnabled) notFound();
  const t = await getTranslations("sandbox");
  const tc = await getTranslations("campaigns");
  const lang = toLocale(await getLocale());
  const db = await getDb();
  const apps = await listSandboxApps(db);
  const sp = await searchParams;
  const app = apps.find((a) => a.appid === sp.app) ?? apps[0];
  if (!app) return <EmptyState title={t("noApps")} />;
  const who = (sp.who ?? "").trim().slice(0, 64);
  const [testers, jobs, inbox] = await Promise.all([
    sandboxTesters(db, app.appid),
    listSandboxJobs(db, app.appid, 30),
    who ? sandboxInbox(db, app.appid, who, 30) : Promise.resolve(null),
  ]);
  return (
    <>
      <h1 className="mb-2 text-2xl font-semibold">{t("title")}</h1>
      <p className="mb-4 max-w-3xl text-sm text-slate-700">{t("intro")}</p>
      <form method="get" className="mb-6 flex flex-wrap items-end gap-3" aria-label={t("inboxSearch")}>
        <div>
          <Label htmlFor="sb-app">{t("app")}</Label>
          <Select id="sb-app" name="app" defaultValue={app.appid}>
            {apps.map((a) => (
              <option key={a.appid} value={a.appid}>
                {a.name} ({a.appid})
              </option>
            ))}
          </Select>
        </div>
        <div>
          <Label htmlFor="sb-who">{t("who")}</Label>
          <Input id="sb-who" name="who" defaultValue={who} list="sb-testers" placeholder="qunfa_tester" />
          <datalist id="sb-testers">
            {testers.map((f) => (
              <option key={f.openid} value={f.wechatId ?? f.openid} />
            ))}
          </datalist>
        </div>
        <Button type="submit">{t("open")}</Button>
      </form>
      <div className="grid grid-cols-1 gap-6 xl:grid-cols-[380px_minmax(0,1fr)]">
        <Card aria-live="polite">
          <CardTitle>{t("inbox")}</CardTitle>
          {!who ? (
            <p className="text-sm text-slate-600">{t("pickFollower", { ids: testers.map((x) => x.wechatId).join(", ") })}</p>
          ) : !inbox ? (
            <p role="alert" className="text-sm text-red-700">
              {t("noFollower", { who })}
            </p>
          ) : inbox.messages.length === 0 ? (
            <>
              <p className="text-sm text-slate-600">{t("emptyInbox", { name: inbox.follower.nickname })}</p>
              <p className="break-all font-mono text-xs text-slate-600" data-testid="inbox-openid">
                {t("followers.inboxOpenid", { openid: inbox.follower.openid })}
              </p>
            </>
          ) : (
            <div className="space-y-3 rounded-lg bg-[#ededed] p-3" data-testid="inbox">
              <p className="text-xs text-slate-600">
                {inbox.follower.nickname}
                {inbox.follower.wechatId ? ` · ${inbox.follower.wechatId}` : ""}
              </p>
              <p className="break-all font-mono text-xs text-slate-600" data-testid="inbox-openid">
                {t("followers.inboxOpenid", { openid: inbox.follower.openid })}
              </p>
              {inbox.messages.map((m) => (
                <InboxMessage key={m.msgId} m={{ ...m, at: m.at.toISOString() }} />
              ))}
            </div>
          )}
        </Card>
        <div className="min-w-0 space-y-6">
          <TagFollowers appid={app.appid} tag={sp.tag} after={sp.after} who={who || undefined} />
          <section>
            <h2 className="mb-2 text-lg font-semibold">{t("jobs")}</h2>
            {jobs.length === 0 ? (
              <EmptyState title={t("noJobs")} />
            ) : (
              <Table caption={t("jobs")}>
                <thead>
                  <tr>
                    <Th>{t("type")}</Th>
                    <Th>{t("status")}</Th>
                    <Th className="text-right">{t("col.target")}</Th>
                    <Th className="text-right">{t("col.filteredOut")}</Th>
                    <Th className="text-right">{t("col.sent")}</Th>
                    <Th className="text-right">{t("col.error")}</Th>
                    <Th>{t("callback")}</Th>
                  </tr>
                </thead>
                <tbody>
                  {jobs.map((j) => (
                    <tr key={j.msgId}>
                      <Td>
                        {tc.has(`types.${j.msgtype}`) ? tc(`types.${j.msgtype}`) : j.msgtype}
                        {j.preview && (
                          <>
                            {" "}
                            <Badge tone="amber">{t("preview")}</Badge>
                          </>
                        )}
                      </Td>
                      <Td>
                        {/* WeChat's job status (SEND_SUCCESS…) and result in words; the raw fields behind 「技术详情」. */}
                        <Badge tone={j.status === "SEND_SUCCESS" ? "green" : j.status === "SENDING" || j.status === "RUNNING" ? "blue" : "red"}>
                          {t.has(`jobStatus.${j.status}`) ? t(`jobStatus.${j.status}`) : jobStatusMeaning(j.status, lang)}
                        </Badge>
                        {j.resultStatus && j.resultStatus !== "send success" && (
                          <div className="text-xs text-red-700">{jobStatusMeaning(j.resultStatus, lang)}</div>
                        )}
                        <TechnicalDetails
                          label={t("technical")}
                          rows={[
                            ["msg_id", String(j.msgId)],
                            ["msg_status", j.status],
                            ["Status", j.resultStatus ?? ""],
                            [
                              "TotalCount / FilterCount / SentCount / ErrorCount",
                              [j.totalCount, j.filterCount, j.sentCount, j.errorCount].map((n) => n ?? "—").join(" / "),
                            ],
                          ]}
                        />
                      </Td>
                      <Td numeric>{j.totalCount ?? "—"}</Td>
                      <Td numeric>{j.totalCount !== null && j.filterCount !== null ? Math.max(0, j.totalCount - j.filterCount) : "—"}</Td>
                      <Td numeric>{j.sentCount ?? "—"}</Td>
                      <Td numeric>{j.errorCount ?? "—"}</Td>
                      <Td className="text-xs">
                        {j.preview
                          ? "—"
                          : j.callbackState
                            ? (t.has(`callbackState.${j.callbackState}`) ? t(`callbackState.${j.callbackState}`) : j.callbackState) +
                              t("callbackTries", { n: j.callbackAttempts })
                            : t("pending")}
                      </Td>
                    </tr>
                  ))}
                </tbody>
              </Table>
            )}
          </section>
          {can(user.role, "admin") && (
            <Card>
              <CardTitle>{t("faults")}</CardTitle>
              <p className="mb-3 text-sm text-slate-700">{t("faultsIntro")}</p>
              <FaultForm
                appid={app.appid}
                defaults={{
                  errorRate: app.settings.faults?.errorRate ?? 0,
                  http5xxRate: app.settings.faults?.http5xxRate ?? 0,
                  dropBeforeRate: app.settings.faults?.dropBeforeRate ?? 0,
                  dropAfterRate: app.settings.faults?.dropAfterRate ?? 0,
                  callbackFailRate: app.settings.faults?.callbackFailRate ?? 0,
                  latencyMs: app.settings.faults?.latencyMs ?? 0,
                  perMinute: app.settings.perMinute ?? 60,
                }}
              />
            </Card>
          )}
          {can(user.role, "admin") && (
            <Card>
              <CardTitle>{t("seedTitle")}</CardTitle>
              <p className="mb-3 text-sm text-slate-700">{t("seedIntro")}</p>
              <ReseedButton />
            </Card>
          )}
          <p className="text-xs text-slate-600">
            <Link className="underline" href="/sandbox">
              {t("refresh")}
            </Link>
          </p>
        </div>
      </div>
    </>
  );
}
