import { notFound } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { formatDateTimeZoned } from "@/lib/i18n/time";
import { toLocale } from "@/lib/i18n/locales";
import { requirePageUser } from "@/lib/auth/guard";
import { can } from "@/lib/auth/permissions";
import { getAccount } from "@/lib/accounts/account-service";
import { getCampaign } from "@/lib/campaigns/campaign-service";
import { BACK_TO_DRAFT, campaignFingerprint, CHANGED_AFTER_CLEARANCE } from "@/lib/campaigns/fingerprint";
import { listAudienceLists } from "@/lib/audiences/lists";
import { campaignLive } from "@/lib/campaigns/campaign-live";
import { latestApproval } from "@/lib/campaigns/lists";
import { quotaSummary } from "@/lib/campaigns/quota";
import { splitSizes } from "@/lib/audiences/split";
import { sameMaterialSends } from "@/lib/campaigns/delete-sent";
import { Alert, Badge, Card, CardTitle } from "@/components/ui/card";
import { campaignStateTone } from "@/components/campaigns/state-tone";
import { ComposeForm } from "@/components/campaigns/compose-form";
import { SendPanel } from "@/components/campaigns/send-panel";
import { ApprovalPanel } from "@/components/campaigns/approval-panel";
import { ProgressPanel } from "@/components/campaigns/progress-panel";
import { SentActions } from "@/components/campaigns/sent-actions";
import { LiveResults } from "@/components/campaigns/live-results";
import { CampaignLiveProvider } from "@/components/campaigns/campaign-live-provider";
import type { CampaignFormInput } from "@/lib/campaigns/schemas";
import { CampaignReview } from "@/components/history/campaign-review";
import { DuplicateButton } from "@/components/history/duplicate-button";
import { campaignArticleTitles, campaignReview } from "@/lib/history/detail";
import { newsChoicesForCampaign } from "@/lib/news/news-service";
import { SavedCampaignPreview } from "@/components/campaigns/preview-button";
import { toPickerChoices } from "@/components/campaigns/news-choices";
import { previewTargetFor } from "@/lib/users/preview-target";

export async function generateMetadata() {
  const t = await getTranslations("campaigns");
  return { title: t("detail") };
}

export default async function CampaignPage({ params }: { params: Promise<{ accountId: string; id: string }> }) {
  const me = await requirePageUser("read");
  const { accountId, id } = await params;
  const db = await getDb();
  const [account, c] = await Promise.all([getAccount(db, accountId), getCampaign(db, accountId, id)]);
  if (!account || !c) notFound();
  const t = await getTranslations("campaigns");
  const locale = toLocale(await getLocale());
  const th = await getTranslations("history");
  const [live, quota, lists, same, articleTitles, news, gate] = await Promise.all([
    campaignLive(db, accountId, id),
    quotaSummary(db, account, { kind: c.audienceKind, tagId: c.tagId, listId: c.audienceListId, size: c.audienceSize, campaignId: c.id }),
    listAudienceLists(db, accountId),
    sameMaterialSends(db, accountId, id),
    campaignArticleTitles(db, c),
    newsChoicesForCampaign(db, accountId),
    previewTargetFor(db, me.id),
  ]);
  // Read with the campaign a moment ago: gone only if the campaign went meanwhile.
  if (!live) notFound();
  const batches = live.batches;
  const deletedArticles = [...new Set(batches.flatMap((b) => b.deletedArticles ?? []))].sort((a, b) => a - b);
  const approval = await latestApproval(db, id);
  const requests = batches.length || (c.audienceKind === "list" ? splitSizes(c.audienceSize ?? 0).length : 1);
  const minutes = Math.max(1, Math.ceil(requests / 60));
  const m = c.message as Record<string, unknown>;
  const summary = t("summary", {
    type: th(`types.${c.messageType}`),
    audience: `${th(`audiences.${c.audienceKind}`)}${c.tagName ? ` · ${c.tagName}` : ""}`,
    size: c.audienceSize ?? "?",
    requests,
    minutes,
  });
  const warnings: string[] = [];
  if (c.audienceKind === "all") warnings.push(account.type === "service" ? t("allWarningService") : t("allWarningSubscription"));
  if (account.type === "subscription" && !quota.subscriptionSendLeft) warnings.push(t("warnSubscriptionUsed"));
  if (account.type === "service" && c.audienceKind === "all" && quota.toAllLeft === 0) warnings.push(t("warnToAllUsed"));
  const cap = quota.capped;
  const capText = (all: boolean, n: number) => (all ? t("cappedAll") : String(n));
  const cappedText = cap
    ? cap.min === cap.max && cap.allMin === cap.allMax
      ? capText(cap.allMin, cap.min)
      : t("cappedRange", { min: capText(cap.allMin, cap.min), max: capText(cap.allMax, cap.max) })
    : "0";
  if (cap && (cap.max > 0 || cap.allMax)) warnings.push(t("warnCapped", { n: cappedText }));
  const editable = (c.state === "draft" || c.state === "scheduled") && can(me.role, "edit");
  const defaults: CampaignFormInput = {
    name: c.name,
    sendIgnoreReprint: c.sendIgnoreReprint ? 1 : 0,
    message:
      c.messageType === "text"
        ? { type: "text", content: String(m.content ?? "") }
        : c.messageType === "wxcard"
          ? { type: "wxcard", cardId: String(m.cardId ?? "") }
          : c.messageType === "mpnews"
            ? { type: "mpnews", newsDraftId: String(m.newsDraftId ?? ""), newsVersion: Number(m.newsVersion ?? 0) }
            : c.messageType === "mpvideo"
              ? { type: "mpvideo", mediaId: String(m.mediaId ?? ""), title: String(m.title ?? ""), description: String(m.description ?? "") }
              : { type: c.messageType, mediaId: String(m.mediaId ?? "") },
    audience:
      c.audienceKind === "all"
        ? { kind: "all", confirmName: account.name }
        : c.audienceKind === "tag"
          ? { kind: "tag", tagId: c.tagId ?? 0, tagName: c.tagName ?? "", tagCount: c.audienceSize ?? 0 }
          : { kind: "list", listId: c.audienceListId ?? "" },
  };
  // What this page shows: sending or approving it is refused if the campaign has changed since.
  const seen = campaignFingerprint(c);
  const refused = c.lastError === CHANGED_AFTER_CLEARANCE;
  const urls = batches.flatMap((b) => b.result?.articleUrls ?? []);
  const showProgress = batches.length > 0;
  // Reach and quota are read before a send; once it has started they describe nothing still to decide.
  const showBeforeSending = c.state === "draft" || c.state === "awaiting_approval" || c.state === "scheduled";
  const showResults = batches.length > 0 || ["sending", "paused", "submitted"].includes(c.state);
  const articleCount = Math.max(1, articleTitles.length || new Set(urls.map((u) => u.idx)).size);
  return (
    <>
      <div className="mb-4 flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold">{c.name}</h1>
        <Badge tone={campaignStateTone(c.state)}>{th(`states.${c.state}`)}</Badge>
        {can(me.role, "edit") && (
          <span className="ml-auto">
            <DuplicateButton accountId={accountId} campaignId={id} />
          </span>
        )}
      </div>
      {/* One poller for the progress panel and the live results, fed by one read (campaignLive). */}
      <CampaignLiveProvider accountId={accountId} campaignId={id} initial={live}>
        <div className="grid gap-6 xl:grid-cols-2">
          {showBeforeSending && (
            <Card>
              <CardTitle>{t("beforeSending")}</CardTitle>
              <p className="mb-2 text-sm">{summary}</p>
              <dl className="mb-3 grid grid-cols-[minmax(0,auto)_minmax(7em,1fr)] gap-x-4 gap-y-1 text-sm">
                {account.type === "subscription" ? (
                  <>
                    <dt className="text-slate-600">{t("quotaToday")}</dt>
                    <dd>{quota.subscriptionSendLeft ? t("quotaTodayLeft") : t("quotaTodayUsed")}</dd>
                  </>
                ) : (
                  <>
                    <dt className="text-slate-600">{t("quotaToAll")}</dt>
                    <dd>{t("quotaToAllValue", { used: quota.toAllThisMonth, left: quota.toAllLeft })}</dd>
                    <dt className="text-slate-600">{t("quotaCapped")}</dt>
                    <dd data-testid="quota-capped">{cappedText}</dd>
                  </>
                )}
                <dt className="text-slate-600">{t("previewsLeft")}</dt>
                <dd>{quota.previewsLeft} / 100</dd>
              </dl>
              {refused && (
                <Alert tone="error" className="mb-2">
                  {t("clearance.refusedNotice")}
                </Alert>
              )}
              {c.state === "draft" && c.lastError === BACK_TO_DRAFT && (
                <Alert tone="warning" className="mb-2">
                  {t("clearance.backToDraftNotice")}
                </Alert>
              )}
              {warnings.map((w) => (
                <Alert key={w} tone="warning" className="mb-2">
                  {w}
                </Alert>
              ))}
              {!editable && can(me.role, "preview") && (c.state === "draft" || c.state === "awaiting_approval") && (
                <div className="mb-3">
                  <SavedCampaignPreview accountId={accountId} campaignId={id} gate={gate} />
                </div>
              )}
              {can(me.role, "publish") && (
                <SendPanel
                  accountId={accountId}
                  campaignId={id}
                  state={c.state}
                  timeZone={account.timezone}
                  summary={summary}
                  needsApproval={account.requiresApproval}
                  seen={seen}
                />
              )}
              {c.scheduledAt && c.state === "scheduled" && (
                <p className="mt-2 text-sm">{t("scheduledFor", { at: formatDateTimeZoned(c.scheduledAt, account.timezone, locale) })}</p>
              )}
            </Card>
          )}
          {c.state === "awaiting_approval" && can(me.role, "publish") && (
            <Card>
              <CardTitle>{t("approval")}</CardTitle>
              <ApprovalPanel
                accountId={accountId}
                campaignId={id}
                requester={approval?.name ?? "?"}
                isRequester={approval?.requestedBy === me.id}
                seen={seen}
              />
            </Card>
          )}
          {showProgress && (
            <Card>
              <CardTitle>{t("progress")}</CardTitle>
              <ProgressPanel accountId={accountId} campaignId={id} canPublish={can(me.role, "publish")} />
            </Card>
          )}
        </div>

        {showResults && (
          <>
            <LiveResults accountId={accountId} campaignId={id} articleTitles={articleTitles} canRefresh={can(me.role, "publish")} timeZone={account.timezone} />
            {can(me.role, "publish") && batches.some((b) => b.msgId) && (
              <div className="mt-4">
                <SentActions
                  accountId={accountId}
                  campaignId={id}
                  deletable={c.messageType === "mpnews" || c.messageType === "mpvideo"}
                  articleCount={c.messageType === "mpnews" ? articleCount : 0}
                  articleTitles={articleTitles}
                  deletedArticles={deletedArticles}
                  sameMaterial={same.map((s) => ({
                    id: s.id,
                    name: s.name,
                    startedAt: s.startedAt ? formatDateTimeZoned(s.startedAt, account.timezone, locale) : null,
                  }))}
                />
              </div>
            )}
          </>
        )}
      </CampaignLiveProvider>

      <CampaignReview
        review={await campaignReview(db, c)}
        campaign={c}
        accountName={account.name}
        listName={lists.find((l) => l.id === c.audienceListId)?.name ?? null}
        timeZone={account.timezone}
      />

      {editable && (
        <section className="mt-8">
          <h2 className="mb-3 text-lg font-semibold">{t("edit")}</h2>
          {c.state === "scheduled" && (
            <Alert tone="warning" className="mb-3">
              {t("clearance.editWithdraws")}
            </Alert>
          )}
          <ComposeForm
            accountId={accountId}
            accountName={account.name}
            accountType={account.type}
            campaignId={id}
            lists={lists.map((l) => ({ id: l.id, name: l.name, validCount: l.validCount }))}
            newsChoices={toPickerChoices(news)}
            canPreview={can(me.role, "preview")}
            previewGate={gate}
            timeZone={account.timezone}
            defaults={defaults}
          />
        </section>
      )}
    </>
  );
}
