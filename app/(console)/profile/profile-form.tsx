"use client";
import { useTranslations } from "next-intl";
import { toast } from "@/components/ui/toast";
import { useRouter } from "next/navigation";
import { useServerForm } from "@/components/forms/use-server-form";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import { updateProfileAction } from "./actions";

// The schema (and zod) is fetched on first use, not with the page (components/forms/lazy-resolver.ts).
const loadSchema = () => import("@/lib/users/schemas").then((m) => m.profileSchema);

export function ProfileForm({ defaults }: { defaults: { name: string; wechatId: string; previewOpenid: string } }) {
  const t = useTranslations("profile");
  const { form, submit, formError, fieldError, ready } = useServerForm(loadSchema, updateProfileAction, defaults, {
    name: t("name"),
    wechatId: t("wechatId"),
    previewOpenid: t("previewOpenid"),
  });
  const router = useRouter();
  // The page above the form says whether an admin has confirmed the WeChat ID: read it again.
  const onSubmit = submit(() => {
    toast.success(t("saved"));
    router.refresh();
  });
  return (
    <form onSubmit={onSubmit} noValidate>
      <fieldset disabled={!ready} className="min-w-0 max-w-lg space-y-4">
        {formError && <Alert tone="error">{formError}</Alert>}
        <Field id="name" label={t("name")} error={fieldError("name")}>
          <Input {...form.register("name")} />
        </Field>
        <Field id="wechatId" label={t("wechatId")} hint={t("wechatIdHint")} error={fieldError("wechatId")}>
          <Input autoComplete="off" {...form.register("wechatId")} />
        </Field>
        <Field id="previewOpenid" label={t("previewOpenid")} hint={t("previewOpenidHint")} error={fieldError("previewOpenid")}>
          <Input className="font-mono" autoComplete="off" {...form.register("previewOpenid")} />
        </Field>
        <Button type="submit" disabled={form.formState.isSubmitting}>
          {t("save")}
        </Button>
      </fieldset>
    </form>
  );
}
