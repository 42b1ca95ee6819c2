"use client";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { useServerForm } from "@/components/forms/use-server-form";
import { CheckboxField, Field } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import { accountFormSchema, type AccountFormInput } from "@/lib/accounts/schemas";
import { createAccountAction, updateAccountAction } from "./actions";

export interface AccountFormProps {
  mode: "create" | "edit";
  id?: string;
  defaults: AccountFormInput;
  secretsSet?: { appSecret: boolean; callbackToken: boolean; encodingAesKey: boolean };
}

export function AccountForm({ mode, id, defaults, secretsSet }: AccountFormProps) {
  const t = useTranslations("accounts");
  const router = useRouter();
  const schema = accountFormSchema(mode);
  const action = mode === "create" ? createAccountAction : (v: AccountFormInput) => updateAccountAction({ id: id!, values: v });
  const { form, submit, formError, fieldError, ready } = useServerForm(schema, action, defaults);
  const onSubmit = submit((d) => {
    toast.success(mode === "create" ? t("created") : t("saved"));
    router.push(`/admin/accounts/${d.id}`);
    router.refresh();
  });
  const secretHint = (key: keyof NonNullable<typeof secretsSet>, rule: string) =>
    mode === "edit" && secretsSet?.[key] ? `${t("secretSet")} ${rule}` : rule;
  return (
    <form onSubmit={onSubmit} noValidate className="max-w-2xl">
      <fieldset disabled={!ready} className="min-w-0 space-y-5">
        {formError && <Alert tone="error">{formError}</Alert>}
        <Field id="name" label={t("name")} error={fieldError("name")}>
          <Input {...form.register("name")} />
        </Field>
        <div className="grid gap-4 md:grid-cols-2">
          <Field id="appid" label={t("appid")} hint={t("appidHint")} error={fieldError("appid")}>
            <Input className="font-mono" autoComplete="off" spellCheck={false} {...form.register("appid")} />
          </Field>
          <Field id="appSecret" label={t("appSecret")} hint={secretHint("appSecret", t("appSecretHint"))} error={fieldError("appSecret")}>
            <Input type="password" className="font-mono" autoComplete="new-password" {...form.register("appSecret")} />
          </Field>
        </div>
        <div className="grid gap-4 md:grid-cols-2">
          <Field id="type" label={t("typeLabel")} error={fieldError("type")}>
            <Select {...form.register("type")}>
              <option value="service">{t("type.service")}</option>
              <option value="subscription">{t("type.subscription")}</option>
            </Select>
          </Field>
          <Field id="messageMode" label={t("messageMode")} hint={t("messageModeHint")} error={fieldError("messageMode")}>
            <Select {...form.register("messageMode")}>
              <option value="safe">{t("mode.safe")}</option>
              <option value="compatible">{t("mode.compatible")}</option>
              <option value="plaintext">{t("mode.plaintext")}</option>
            </Select>
          </Field>
        </div>
        <CheckboxField id="verified" label={t("verified")} hint={t("verifiedHint")} {...form.register("verified")} />
        <div className="grid gap-4 md:grid-cols-2">
          <Field id="callbackToken" label={t("callbackToken")} hint={secretHint("callbackToken", t("callbackTokenHint"))} error={fieldError("callbackToken")}>
            <Input type="password" className="font-mono" autoComplete="new-password" {...form.register("callbackToken")} />
          </Field>
          <Field id="encodingAesKey" label={t("encodingAesKey")} hint={secretHint("encodingAesKey", t("encodingAesKeyHint"))} error={fieldError("encodingAesKey")}>
            <Input type="password" className="font-mono" autoComplete="new-password" {...form.register("encodingAesKey")} />
          </Field>
        </div>
        <Field id="relayUrl" label={t("relayUrl")} hint={t("relayUrlHint")} error={fieldError("relayUrl")}>
          <Input type="url" {...form.register("relayUrl")} />
        </Field>
        <div className="grid gap-4 md:grid-cols-2">
          <Field id="apiBaseUrl" label={t("apiBaseUrl")} hint={t("apiBaseUrlHint")} error={fieldError("apiBaseUrl")}>
            <Input type="url" {...form.register("apiBaseUrl")} />
          </Field>
          <Field id="timezone" label={t("timezone")} error={fieldError("timezone")}>
            <Input {...form.register("timezone")} />
          </Field>
        </div>
        <CheckboxField id="requiresApproval" label={t("requiresApproval")} hint={t("requiresApprovalHint")} {...form.register("requiresApproval")} />
        <Button type="submit" disabled={form.formState.isSubmitting}>
          {form.formState.isSubmitting ? t("saving") : mode === "create" ? t("create") : t("save")}
        </Button>
      </fieldset>
    </form>
  );
}
