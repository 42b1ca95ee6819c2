"use client";
import { useState, useTransition } from "react";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { toast } from "@/components/ui/toast";
import { useServerForm } from "@/components/forms/use-server-form";
import { useHydrated } from "@/components/forms/use-hydrated";
import { Field } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";
import { Button } from "@/components/ui/button";
import { Alert, Badge } from "@/components/ui/card";
import { Td } from "@/components/ui/table";
import { CopyField } from "@/components/shell/copy-field";
import { ROLES } from "@/lib/auth/permissions";
import { confirmPreviewAction, inviteAction, revokeInviteAction, setBannedAction, setRoleAction } from "./actions";

// The schema (and zod) is fetched on first use, not with the page (components/forms/lazy-resolver.ts).
const loadSchema = () => import("@/lib/users/schemas").then((m) => m.inviteSchema);

export function InviteForm() {
  const t = useTranslations("users");
  const tn = useTranslations("nav");
  const router = useRouter();
  const [link, setLink] = useState<string | null>(null);
  const { form, submit, formError, fieldError, ready } = useServerForm(
    loadSchema,
    inviteAction,
    { email: "", role: "editor" },
    { email: t("email"), role: t("role") },
  );
  const onSubmit = submit((d) => {
    setLink(d.link);
    form.reset({ email: "", role: form.getValues("role") });
    router.refresh();
  });
  return (
    <div className="space-y-3">
      <form onSubmit={onSubmit} noValidate>
        <fieldset disabled={!ready} className="min-w-0 flex flex-wrap items-end gap-3">
          <Field id="invite-email" label={t("email")} error={fieldError("email")} className="min-w-64">
            <Input type="email" {...form.register("email")} />
          </Field>
          <Field id="invite-role" label={t("role")} error={fieldError("role")}>
            <Select {...form.register("role")}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {tn(`role.${r}`)}
                </option>
              ))}
            </Select>
          </Field>
          <Button type="submit" disabled={form.formState.isSubmitting}>
            {t("invite")}
          </Button>
        </fieldset>
      </form>
      {formError && <Alert tone="error">{formError}</Alert>}
      {link && (
        <div aria-live="polite">
          <Alert tone="success" className="mb-2">
            {t("inviteCreated")}
          </Alert>
          <CopyField id="invite-link" label={t("inviteLink")} value={link} />
        </div>
      )}
    </div>
  );
}

export function UserRowControls({ user, isSelf }: { user: { id: string; email: string; role: string; banned: boolean }; isSelf: boolean }) {
  const t = useTranslations("users");
  const tn = useTranslations("nav");
  const router = useRouter();
  const [pending, start] = useTransition();
  // A role picked before hydration was shown but never saved (its onChange had not been attached).
  const ready = useHydrated();
  const run = (fn: () => Promise<{ ok: boolean; error?: string }>) =>
    start(async () => {
      const r = await fn();
      if (r.ok) toast.success(t("saved"));
      else toast.error(r.error);
      router.refresh();
    });
  return (
    <>
      <Td label={t("role")}>
        <label className="sr-only" htmlFor={`role-${user.id}`}>
          {t("roleOf", { email: user.email })}
        </label>
        <select
          id={`role-${user.id}`}
          className="rounded border border-slate-400 bg-white px-2 py-1 text-sm"
          defaultValue={user.role}
          disabled={pending || !ready}
          onChange={(e) => run(() => setRoleAction({ userId: user.id, role: e.target.value as (typeof ROLES)[number] }))}
        >
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {tn(`role.${r}`)}
            </option>
          ))}
        </select>
      </Td>
      <Td label={t("status")}>
        <div className="flex flex-wrap items-center gap-2">
          {user.banned ? <Badge tone="red">{t("banned")}</Badge> : <Badge tone="green">{t("active")}</Badge>}
          {!isSelf && (
            <Button
              size="sm"
              variant="secondary"
              disabled={pending || !ready}
              onClick={() => run(() => setBannedAction({ userId: user.id, banned: !user.banned }))}
            >
              {user.banned ? t("unban") : t("ban")}
            </Button>
          )}
        </div>
      </Td>
    </>
  );
}

/**
 * The person's preview WeChat ID / OpenID and whether an admin confirmed it (previews go only to a
 * confirmed one). The buttons send the values shown, so a value changed since is refused.
 */
export function PreviewTargetControls({
  user,
  confirmed,
}: {
  user: { id: string; email: string; wechatId: string | null; previewOpenid: string | null };
  confirmed: boolean;
}) {
  const t = useTranslations("users");
  const router = useRouter();
  const [pending, start] = useTransition();
  const ready = useHydrated();
  const [error, setError] = useState<string | null>(null);
  const shown = user.wechatId ?? user.previewOpenid;
  const run = (confirm: boolean) =>
    start(async () => {
      setError(null);
      const r = await confirmPreviewAction({ userId: user.id, wechatId: user.wechatId, previewOpenid: user.previewOpenid, confirm });
      if (r.ok) toast.success(t("saved"));
      else setError(r.error);
      router.refresh();
    });
  if (!shown) return <span className="text-sm text-slate-600">{t("previewTarget.none")}</span>;
  return (
    <div className="flex flex-wrap items-center gap-2">
      <code className="text-sm">{shown}</code>
      {confirmed ? <Badge tone="green">{t("previewTarget.confirmed")}</Badge> : <Badge tone="slate">{t("previewTarget.unconfirmed")}</Badge>}
      <Button
        size="sm"
        variant={confirmed ? "ghost" : "secondary"}
        disabled={pending || !ready}
        aria-label={
          confirmed ? t("previewTarget.revokeFor", { id: shown, email: user.email }) : t("previewTarget.confirmFor", { id: shown, email: user.email })
        }
        onClick={() => run(!confirmed)}
      >
        {confirmed ? t("previewTarget.revoke") : t("previewTarget.confirm")}
      </Button>
      <div aria-live="polite" className="w-full">
        {error && <Alert tone="error">{error}</Alert>}
      </div>
    </div>
  );
}

export function RevokeInviteButton({ id, email }: { id: string; email: string }) {
  const t = useTranslations("users");
  const router = useRouter();
  const [pending, start] = useTransition();
  return (
    <Button
      size="sm"
      variant="ghost"
      aria-label={t("revokeFor", { email })}
      disabled={pending}
      onClick={() =>
        start(async () => {
          await revokeInviteAction({ id });
          router.refresh();
        })
      }
    >
      {t("revoke")}
    </Button>
  );
}
