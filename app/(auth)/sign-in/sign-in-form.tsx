"use client";
import { useTranslations } from "next-intl";
import { useServerForm } from "@/components/forms/use-server-form";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import { signInAction } from "../actions";

// The schema (and zod) is fetched on first use, not with the page (components/forms/lazy-resolver.ts).
const loadSchema = () => import("@/lib/users/schemas").then((m) => m.signInSchema);

export function SignInForm({ next }: { next?: string }) {
  const t = useTranslations("auth");
  const { form, submit, formError, fieldError, ready } = useServerForm(
    loadSchema,
    (v) => signInAction(v, next),
    { email: "", password: "" },
    { email: t("email"), password: t("password") },
  );
  const onSubmit = submit((d) => window.location.assign(d.redirectTo));
  return (
    <form onSubmit={onSubmit} noValidate>
      <fieldset disabled={!ready} className="min-w-0 space-y-4 rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
        {formError && <Alert tone="error">{formError}</Alert>}
        <Field id="email" label={t("email")} error={fieldError("email")}>
          <Input type="email" autoComplete="username" {...form.register("email")} />
        </Field>
        <Field id="password" label={t("password")} error={fieldError("password")}>
          <Input type="password" autoComplete="current-password" {...form.register("password")} />
        </Field>
        <Button type="submit" className="w-full" disabled={form.formState.isSubmitting}>
          {form.formState.isSubmitting ? t("signingIn") : t("signIn")}
        </Button>
      </fieldset>
    </form>
  );
}
