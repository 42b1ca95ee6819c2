"use client";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { toast } from "@/components/ui/toast";
import { useServerForm } from "@/components/forms/use-server-form";
import { CheckboxField, Field } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import type { AccountFormInput } from "@/lib/accounts/schemas";
import { DEFAULT_TIME_ZONE, timeZoneChoices } from "@/lib/i18n/time";
import { createAccountAction, updateAccountAction } from "./actions";

// The schema (and zod) is fetched on first use, not with the page (components/forms/lazy-resolver.ts).
const loadSchema = {
  create: () => import("@/lib/accounts/schemas").then((m) => m.accountFormSchema("create")),
  edit: () => import("@/lib/accounts/schemas").then((m) => m.accountFormSchema("edit")),
};

export interface AccountFormProps {
  mode: "create" | "edit";
  id?: string;
  defaults: AccountFormInput;
  secretsSet?: { appSecret: boolean; callbackToken: boolean; encodingAesKey: boolean };
}

export function AccountForm({ mode, id, defaults, secretsSet }: AccountFormProps) {
  const t = useTranslations("accounts");
  const router = useRouter();
  const action = mode === "create" ? createAccountAction : (v: AccountFormInput) => updateAccountAction({ id: id!, values: v });
  const { form, submit, formError, fieldError, ready } = useServerForm(loadSchema[mode], action, defaults, {
    name: t("name"),
    appid: t("appid"),
    appSecret: t("appSecret"),
    type: t("typeLabel"),
    messageMode: t("messageMode"),
    verified: t("verified"),
    callbackToken: t("callbackToken"),
    encodingAesKey: t("encodingAesKey"),
    relayUrl: t("relayUrl"),
    apiBaseUrl: t("apiBaseUrl"),
    timezone: t("timezone"),
    requiresApproval: t("requiresApproval"),
  });
  const onSubmit = submit((d) => {
    toast.success(mode === "create" ? t("created") : t("saved"));
    router.push(`/admin/accounts/${d.id}`);
    router.refresh();
  });
  // react-hook-form puts the stored values into the fields only when it registers them, at
  // hydration: the server's page showed every field empty and both boxes unticked ("approval
  // required" read as off until the script ran). The same values go into the server's HTML.
  type BoxName = "verified" | "requiresApproval";
  const field = (name: Exclude<keyof AccountFormInput, BoxName>) => ({ ...form.register(name), defaultValue: defaults[name] ?? "" });
  const box = (name: BoxName) => ({ ...form.register(name), defaultChecked: !!defaults[name] });
  const secretHint = (key: keyof NonNullable<typeof secretsSet>, rule: string) => (mode === "edit" && secretsSet?.[key] ? `${t("secretSet")} ${rule}` : rule);
  return (
    <form onSubmit={onSubmit} noValidate className="max-w-2xl">
      <fieldset disabled={!ready} className="min-w-0 space-y-5">
        {formError && <Alert tone="error">{formError}</Alert>}
        <Field id="name" label={t("name")} error={fieldError("name")}>
          <Input {...field("name")} />
        </Field>
        <div className="grid gap-4 md:grid-cols-2">
          <Field id="appid" label={t("appid")} hint={t("appidHint")} error={fieldError("appid")}>
            <Input className="font-mono" autoComplete="off" spellCheck={false} {...field("appid")} />
          </Field>
          <Field id="appSecret" label={t("appSecret")} hint={secretHint("appSecret", t("appSecretHint"))} error={fieldError("appSecret")}>
            <Input type="password" className="font-mono" autoComplete="new-password" {...field("appSecret")} />
          </Field>
        </div>
        <div className="grid gap-4 md:grid-cols-2">
          <Field id="type" label={t("typeLabel")} error={fieldError("type")}>
            <Select {...field("type")}>
              <option value="service">{t("type.service")}</option>
              <option value="subscription">{t("type.subscription")}</option>
            </Select>
          </Field>
          <Field id="messageMode" label={t("messageMode")} hint={t("messageModeHint")} error={fieldError("messageMode")}>
            <Select {...field("messageMode")}>
              <option value="safe">{t("mode.safe")}</option>
              <option value="compatible">{t("mode.compatible")}</option>
              <option value="plaintext">{t("mode.plaintext")}</option>
            </Select>
          </Field>
        </div>
        <CheckboxField id="verified" label={t("verified")} hint={t("verifiedHint")} {...box("verified")} />
        <div className="grid gap-4 md:grid-cols-2">
          <Field id="callbackToken" label={t("callbackToken")} hint={secretHint("callbackToken", t("callbackTokenHint"))} error={fieldError("callbackToken")}>
            <Input type="password" className="font-mono" autoComplete="new-password" {...field("callbackToken")} />
          </Field>
          <Field
            id="encodingAesKey"
            label={t("encodingAesKey")}
            hint={secretHint("encodingAesKey", t("encodingAesKeyHint"))}
            error={fieldError("encodingAesKey")}
          >
            <Input type="password" className="font-mono" autoComplete="new-password" {...field("encodingAesKey")} />
          </Field>
        </div>
        <Field id="relayUrl" label={t("relayUrl")} hint={t("relayUrlHint")} error={fieldError("relayUrl")}>
          <Input type="url" {...field("relayUrl")} />
        </Field>
        <div className="grid gap-4 md:grid-cols-2">
          <Field
            id="apiBaseUrl"
            label={t("apiBaseUrl")}
            hint={mode === "edit" ? `${t("apiBaseUrlHint")} ${t("urlSecrets.apiBaseUrlNote")}` : t("apiBaseUrlHint")}
            error={fieldError("apiBaseUrl")}
          >
            <Input type="url" {...field("apiBaseUrl")} />
          </Field>
          <Field id="timezone" label={t("timezone")} hint={t("timezoneHint")} error={fieldError("timezone")}>
            <Select {...field("timezone")}>
              {timeZoneChoices(defaults.timezone).map((z) => (
                <option key={z} value={z}>
                  {z === DEFAULT_TIME_ZONE ? `${z} · ${t("timezoneBeijing")}` : z}
                </option>
              ))}
            </Select>
          </Field>
        </div>
        <CheckboxField id="requiresApproval" label={t("requiresApproval")} hint={t("requiresApprovalHint")} {...box("requiresApproval")} />
        <Button type="submit" disabled={form.formState.isSubmitting}>
          {form.formState.isSubmitting ? t("saving") : mode === "create" ? t("create") : t("save")}
        </Button>
      </fieldset>
    </form>
  );
}
