"use client";
import { useTranslations } from "next-intl";
import { toast } from "@/components/ui/toast";
import type { z } from "zod";
import { useServerForm } from "@/components/forms/use-server-form";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import type { faultSchema } from "@/lib/sandbox/fault-schema";
import { setFaultsAction } from "./actions";

// The schema (and zod) is fetched on first use, not with the page (components/forms/lazy-resolver.ts).
const loadSchema = () => import("@/lib/sandbox/fault-schema").then((m) => m.faultSchema);

type Values = Omit<z.input<typeof faultSchema>, "appid">;

export function FaultForm({ appid, defaults }: { appid: string; defaults: { [K in keyof Values]: number } }) {
  const t = useTranslations("sandbox");
  const { form, submit, formError, fieldError, ready } = useServerForm(
    loadSchema,
    setFaultsAction,
    { appid, ...defaults },
    {
      ...Object.fromEntries(
        (["errorRate", "http5xxRate", "dropBeforeRate", "dropAfterRate", "callbackFailRate", "latencyMs", "perMinute"] as const).map((f) => [
          f,
          t(`fault.${f}`),
        ]),
      ),
      appid: t("faultAccount"),
    },
  );
  const onSubmit = submit(() => toast.success(t("saved")));
  const fields = ["errorRate", "http5xxRate", "dropBeforeRate", "dropAfterRate", "callbackFailRate", "latencyMs", "perMinute"] as const;
  return (
    <form onSubmit={onSubmit} noValidate>
      <fieldset disabled={!ready} className="min-w-0 grid gap-3 sm:grid-cols-2">
        {formError && <Alert tone="error">{formError}</Alert>}
        <input type="hidden" {...form.register("appid")} />
        {fields.map((f) => (
          <Field key={f} id={`fault-${f}`} label={t(`fault.${f}`)} error={fieldError(f)}>
            <Input type="number" step={f === "latencyMs" || f === "perMinute" ? 1 : 0.01} min={0} {...form.register(f)} />
          </Field>
        ))}
        <div className="sm:col-span-2">
          <Button type="submit" disabled={form.formState.isSubmitting}>
            {t("saveFaults")}
          </Button>
        </div>
      </fieldset>
    </form>
  );
}
