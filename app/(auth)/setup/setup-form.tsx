"use client";
import { useTranslations } from "next-intl";
import { useServerForm } from "@/components/forms/use-server-form";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import { setupAction } from "../actions";

// The schema (and zod) is fetched on first use, not with the page (components/forms/lazy-resolver.ts).
const loadSchema = () => import("@/lib/users/schemas").then((m) => m.setupSchema);

export function SetupForm() {
  const t = useTranslations("auth");
  const { form, submit, formError, fieldError, ready } = useServerForm(
    loadSchema,
    setupAction,
    { name: "", email: "", password: "", confirm: "" },
    { name: t("name"), email: t("email"), password: t("password"), confirm: t("confirmPassword") },
  );
  const onSubmit = submit((d) => window.location.assign(d.redirectTo));
  return (
    <form onSubmit={onSubmit} noValidate>
      <fieldset disabled={!ready} className="min-w-0 space-y-4 rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
        {formError && <Alert tone="error">{formError}</Alert>}
        <Field id="name" label={t("name")} error={fieldError("name")}>
          <Input autoComplete="name" {...form.register("name")} />
        </Field>
        <Field id="email" label={t("email")} error={fieldError("email")}>
          <Input type="email" autoComplete="username" {...form.register("email")} />
        </Field>
        <Field id="password" label={t("password")} hint={t("passwordRule")} error={fieldError("password")}>
          <Input type="password" autoComplete="new-password" {...form.register("password")} />
        </Field>
        <Field id="confirm" label={t("confirmPassword")} error={fieldError("confirm")}>
          <Input type="password" autoComplete="new-password" {...form.register("confirm")} />
        </Field>
        <Button type="submit" className="w-full" disabled={form.formState.isSubmitting}>
          {t("createAdmin")}
        </Button>
      </fieldset>
    </form>
  );
}
