"use client";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Controller } from "react-hook-form";
import { toast } from "@/components/ui/toast";
import { useServerForm } from "@/components/forms/use-server-form";
import { Field } from "@/components/ui/field";
import { Input, Select, Textarea } from "@/components/ui/input";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import type { CampaignFormInput } from "@/lib/campaigns/schemas";
import { TEXT_MAX } from "@/lib/campaigns/limits";
import { previewAction, saveCampaignAction, tagsAction } from "@/app/(console)/[accountId]/campaigns/actions";
import { NewsPicker, type NewsPickerChoice } from "./news-picker";
import { PreviewButton, type PreviewGate } from "./preview-button";
import { TechnicalDetails } from "@/components/ui/technical-details";
import { useArticleLabels } from "@/components/news/article-labels";

// The schema (and zod) is fetched on first use, not with the page (components/forms/lazy-resolver.ts).
const loadSchema = () => import("@/lib/campaigns/schemas").then((m) => m.campaignFormSchema);

export interface ComposeProps {
  accountId: string;
  accountName: string;
  accountType: "service" | "subscription";
  campaignId: string | null;
  defaults: CampaignFormInput;
  lists: { id: string; name: string; validCount: number }[];
  newsChoices: NewsPickerChoice[];
  canPreview: boolean;
  previewGate: PreviewGate;
  /** The account's time zone, for the times the form shows. */
  timeZone?: string;
}

export function ComposeForm(p: ComposeProps) {
  const t = useTranslations("campaigns");
  const router = useRouter();
  const qc = useQueryClient();
  const articleLabels = useArticleLabels();
  const { form, submit, formError, fieldError, placeRefusal, ready } = useServerForm(
    loadSchema,
    (v) => saveCampaignAction({ accountId: p.accountId, id: p.campaignId, values: v }),
    p.defaults,
    {
      name: t("name"),
      "message.type": t("messageType"),
      "message.newsDraftId": t("newsDraft"),
      "message.newsVersion": t("newsDraft"),
      "message.content": t("textContent"),
      "message.mediaId": t("mediaId"),
      "message.title": t("videoTitle"),
      "message.description": t("videoDescription"),
      "message.cardId": t("cardId"),
      sendIgnoreReprint: t("sendIgnoreReprint"),
      "audience.kind": t("audience"),
      "audience.confirmName": t("confirmName", { name: p.accountName }),
      "audience.tagId": t("tag"),
      "audience.tagName": t("tag"),
      "audience.tagCount": t("tag"),
      "audience.listId": t("list"),
      // A news message refused for its articles (preview, save) names the article and its field.
      ...articleLabels,
    },
  );
  const type = form.watch("message.type");
  const audienceKind = form.watch("audience.kind");
  const content = form.watch("message.content" as never) as unknown as string | undefined;
  const newsDraftId = form.watch("message.newsDraftId" as never) as unknown as string | undefined;
  const newsVersion = form.watch("message.newsVersion" as never) as unknown as number | undefined;
  const tags = useQuery({
    queryKey: ["tags", p.accountId],
    queryFn: async () => {
      const r = await tagsAction({ accountId: p.accountId, refresh: false });
      if (!r.ok) throw new Error(r.error);
      return r.data;
    },
    enabled: audienceKind === "tag",
  });
  const refreshTags = async () => {
    const r = await tagsAction({ accountId: p.accountId, refresh: true });
    if (r.ok) qc.setQueryData(["tags", p.accountId], r.data);
    else toast.error(r.error);
  };
  const onSubmit = submit((d) => {
    toast.success(t("saved"));
    router.push(`/${p.accountId}/campaigns/${d.id}`);
    router.refresh();
  });
  const preview = async () => {
    if (!(await form.trigger("message"))) return null;
    return previewAction({ accountId: p.accountId, campaignId: p.campaignId, message: form.getValues("message") });
  };
  // The preview's refusal, shown by the button: fields of the form under their field, the rest (an
  // article's title too long) named in words.
  const previewRefused = (error: string, fieldErrors: Record<string, string[]>) => placeRefusal(error, fieldErrors);
  const age = tags.data ? tags.data.ageMinutes : null;
  // The saved tag is an option before the account's tags have loaded, so the select shows it (and
  // keeps it: with no such option the browser fell back to "choose a tag").
  const savedTagId = form.watch("audience.tagId" as never) as unknown as number | undefined;
  const savedTagName = form.watch("audience.tagName" as never) as unknown as string | undefined;
  const savedTagCount = form.watch("audience.tagCount" as never) as unknown as number | undefined;
  const tagOptions =
    tags.data?.tags ?? (typeof savedTagId === "number" ? [{ id: savedTagId, name: savedTagName ?? String(savedTagId), count: savedTagCount ?? 0 }] : []);
  // Both are asked for, so both count as shown on the page (the picker shows the first).
  const newsErrors = [fieldError("message.newsDraftId"), fieldError("message.newsVersion")];
  const newsError = newsErrors[0] ?? newsErrors[1];
  return (
    <form onSubmit={onSubmit} noValidate>
      <fieldset disabled={!ready} className="min-w-0 max-w-3xl space-y-6">
        {formError && <Alert tone="error">{formError}</Alert>}
        <Field id="name" label={t("name")} error={fieldError("name")}>
          <Input {...form.register("name")} />
        </Field>

        <fieldset className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
          <legend className="px-1 text-sm font-semibold">{t("message")}</legend>
          <Field id="message-type" label={t("messageType")} error={fieldError("message.type")}>
            <Select
              {...form.register("message.type", {
                onChange: (e: { target: { value: string } }) => {
                  // So an unchosen news reads "Choose a news draft", not a type error; the account's
                  // only draft is chosen for the marketer (its current version).
                  if (e.target.value === "mpnews" && !newsDraftId) {
                    const only = p.newsChoices.length === 1 ? p.newsChoices[0] : null;
                    // Only one that can be sent: a draft still missing a cover is shown, not chosen.
                    const first = only ? (only.versions.find((v) => v.current) ?? only.versions[0]) : null;
                    const version = first && first.blockers.length === 0 ? first : null;
                    form.setValue("message.newsDraftId" as never, (only && version ? only.draftId : "") as never);
                    form.setValue("message.newsVersion" as never, (version?.version ?? 0) as never);
                  }
                },
              })}
            >
              {(["text", "mpnews", "image", "voice", "mpvideo", "wxcard"] as const).map((k) => (
                <option key={k} value={k}>
                  {t(`types.${k}`)}
                </option>
              ))}
            </Select>
          </Field>
          {type === "text" && (
            <Field
              id="message-content"
              label={t("textContent")}
              hint={t("textHint", { used: content?.length ?? 0, max: TEXT_MAX })}
              error={fieldError("message.content")}
            >
              <Textarea rows={5} {...form.register("message.content" as never)} />
            </Field>
          )}
          {type === "mpnews" && (
            <>
              <NewsPicker
                accountId={p.accountId}
                choices={p.newsChoices}
                value={newsDraftId && newsVersion ? { draftId: newsDraftId, version: newsVersion } : null}
                onChange={(v) => {
                  form.setValue("message.newsDraftId" as never, v.draftId as never, { shouldDirty: true });
                  form.setValue("message.newsVersion" as never, v.version as never, { shouldDirty: true, shouldValidate: form.formState.isSubmitted });
                  form.clearErrors("message" as never);
                }}
                error={newsError}
                timeZone={p.timeZone}
              />
              {/* Radios hold strings and react-hook-form does not apply setValueAs to them, so the
                  choice is kept as WeChat's number (0 stop, 1 continue) through a Controller. */}
              <Controller
                control={form.control}
                name="sendIgnoreReprint"
                render={({ field }) => (
                  <fieldset className="space-y-2" aria-describedby={fieldError("sendIgnoreReprint") ? "sendIgnoreReprint-error" : undefined}>
                    <legend className="text-sm font-medium">{t("sendIgnoreReprint")}</legend>
                    {([0, 1] as const).map((v) => (
                      <label key={v} className="flex items-start gap-2 text-sm">
                        <input
                          type="radio"
                          name={field.name}
                          value={String(v)}
                          className="mt-1"
                          checked={field.value === v}
                          onChange={() => field.onChange(v)}
                          onBlur={field.onBlur}
                        />
                        <span>{v === 0 ? t("reprintStop") : t("reprintContinue")}</span>
                      </label>
                    ))}
                    {fieldError("sendIgnoreReprint") && (
                      <p id="sendIgnoreReprint-error" role="alert" className="text-xs font-medium text-red-700">
                        {fieldError("sendIgnoreReprint")}
                      </p>
                    )}
                    {/* WeChat's field name for those who need it, out of the marketer's words. */}
                    <TechnicalDetails label={t("technical")} rows={[["send_ignore_reprint", String(field.value)]]} />
                  </fieldset>
                )}
              />
            </>
          )}
          {(type === "image" || type === "voice" || type === "mpvideo") && (
            <Field id="message-mediaId" label={t("mediaId")} hint={t(`mediaHint.${type}`)} error={fieldError("message.mediaId")}>
              <Input className="font-mono" {...form.register("message.mediaId" as never)} />
            </Field>
          )}
          {type === "mpvideo" && (
            <div className="grid gap-3 md:grid-cols-2">
              <Field id="message-title" label={t("videoTitle")} error={fieldError("message.title")}>
                <Input {...form.register("message.title" as never)} />
              </Field>
              <Field id="message-description" label={t("videoDescription")} error={fieldError("message.description")}>
                <Input {...form.register("message.description" as never)} />
              </Field>
            </div>
          )}
          {type === "wxcard" && (
            <Field id="message-cardId" label={t("cardId")} error={fieldError("message.cardId")}>
              <Input className="font-mono" {...form.register("message.cardId" as never)} />
            </Field>
          )}
          {p.canPreview && (
            <div className="border-t border-slate-100 pt-3">
              <PreviewButton gate={p.previewGate} run={preview} onRefused={previewRefused} />
            </div>
          )}
        </fieldset>

        <fieldset className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
          <legend className="px-1 text-sm font-semibold">{t("audience")}</legend>
          <div className="flex flex-wrap gap-4" role="radiogroup" aria-label={t("audience")}>
            {(["tag", "all", "list"] as const).map((k) => (
              <label key={k} className="flex items-center gap-2 text-sm">
                <input type="radio" value={k} {...form.register("audience.kind")} />
                {t(`audiences.${k}`)}
              </label>
            ))}
          </div>
          {audienceKind === "all" && (
            <div className="space-y-2">
              <Alert tone="warning">{p.accountType === "service" ? t("allWarningService") : t("allWarningSubscription")}</Alert>
              <Field id="audience-confirmName" label={t("confirmName", { name: p.accountName })} error={fieldError("audience.confirmName")}>
                <Input autoComplete="off" {...form.register("audience.confirmName" as never)} />
              </Field>
            </div>
          )}
          {audienceKind === "tag" && (
            <div className="space-y-2">
              <Field id="audience-tagId" label={t("tag")} error={fieldError("audience.tagId")}>
                <Select
                  {...form.register("audience.tagId" as never, {
                    setValueAs: (v: string) => (v === "" ? undefined : Number(v)),
                    onChange: (e: { target: { value: string } }) => {
                      const tag = tags.data?.tags.find((x) => String(x.id) === e.target.value);
                      form.setValue("audience.tagName" as never, (tag?.name ?? "") as never);
                      form.setValue("audience.tagCount" as never, (tag?.count ?? 0) as never);
                    },
                  })}
                >
                  <option value="">{tags.isLoading ? t("loadingTags") : t("chooseTag")}</option>
                  {tagOptions.map((x) => (
                    <option key={x.id} value={x.id}>
                      {t("tagOption", { name: x.name, count: x.count })}
                    </option>
                  ))}
                </Select>
              </Field>
              {tags.isError && <Alert tone="error">{String(tags.error?.message)}</Alert>}
              <p className="flex items-center gap-3 text-xs text-slate-600">
                {age !== null && t("tagsAge", { minutes: age })}
                <Button type="button" size="sm" variant="ghost" onClick={refreshTags}>
                  {t("refreshTags")}
                </Button>
              </p>
            </div>
          )}
          {audienceKind === "list" && (
            <Field id="audience-listId" label={t("list")} hint={t("listHint")} error={fieldError("audience.listId")}>
              <Select {...form.register("audience.listId" as never)}>
                <option value="">{t("chooseList")}</option>
                {p.lists.map((l) => (
                  <option key={l.id} value={l.id}>
                    {t("listOption", { name: l.name, count: l.validCount })}
                  </option>
                ))}
              </Select>
            </Field>
          )}
        </fieldset>
        <Button type="submit" disabled={form.formState.isSubmitting}>
          {form.formState.isSubmitting ? t("saving") : t("saveDraft")}
        </Button>
      </fieldset>
    </form>
  );
}
