"use client";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { toast } from "@/components/ui/toast";
import { useForm, useWatch } from "react-hook-form";
import { useLocale } from "next-intl";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Dialog, DialogClose, DialogContent, DialogTrigger } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Input, Select, Textarea } from "@/components/ui/input";
import { toLocale } from "@/lib/i18n/locales";
import type { MassVideoInput } from "@/lib/media/schemas";
import { lazyZodResolver, preloadSchema } from "@/components/forms/lazy-resolver";
import { VIDEO_DESCRIPTION_MAX, VIDEO_TITLE_MAX } from "@/lib/media/limits";
import { copyMediaAction, deleteMediaAction, massVideoAction } from "@/app/(console)/[accountId]/media/actions";

// The schema (and zod) is fetched when the dialog is first opened (components/forms/lazy-resolver.ts).
const loadSchema = () => import("@/lib/media/schemas").then((m) => m.massVideoSchema);

interface Props {
  accountId: string;
  id: string;
  filename: string;
  kind: string;
  title: string | null;
  description: string | null;
  otherAccounts: { id: string; name: string }[];
}

export function MediaRowActions(p: Props) {
  const t = useTranslations("media");
  return (
    <div className="flex flex-wrap gap-1">
      {p.kind === "video" && <MassVideoDialog {...p} />}
      {p.otherAccounts.length > 0 && <CopyDialog {...p} />}
      <DeleteDialog {...p} />
      <Button asChild variant="ghost" size="sm">
        <a href={`/${p.accountId}/media/${p.id}/file?download`} aria-label={t("downloadNamed", { name: p.filename })}>
          {t("download")}
        </a>
      </Button>
    </div>
  );
}

function DeleteDialog({ accountId, id, filename }: Props) {
  const t = useTranslations("media");
  const router = useRouter();
  const [pending, start] = useTransition();
  const [open, setOpen] = useState(false);
  return (
    <ConfirmDialog
      open={open}
      onOpenChange={setOpen}
      trigger={
        <Button variant="ghost" size="sm" aria-label={t("deleteNamed", { name: filename })}>
          {t("delete")}
        </Button>
      }
      title={t("deleteTitle", { name: filename })}
      description={t("deleteBody")}
      cancelLabel={t("cancel")}
      confirmLabel={t("delete")}
      pending={pending}
      onConfirm={() =>
        start(async () => {
          const r = await deleteMediaAction({ accountId, id });
          if (r.ok) {
            toast.success(t("deleted"));
            setOpen(false);
            router.refresh();
          } else toast.error(r.error);
        })
      }
    />
  );
}

function MassVideoDialog({ accountId, id, filename, title, description }: Props) {
  const t = useTranslations("media");
  const router = useRouter();
  const locale = toLocale(useLocale());
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const form = useForm<MassVideoInput>({
    resolver: lazyZodResolver<MassVideoInput>(loadSchema, locale),
    defaultValues: { title: title ?? "", description: description ?? "" },
    mode: "onTouched",
  });
  const titleLen = useWatch({ control: form.control, name: "title" })?.length ?? 0;
  const descLen = useWatch({ control: form.control, name: "description" })?.length ?? 0;
  const submit = form.handleSubmit(async (v) => {
    setError(null);
    const r = await massVideoAction({ accountId, id, values: v });
    if (r.ok) {
      toast.success(t("massVideoDone", { mediaId: r.data.massMediaId }));
      setOpen(false);
      router.refresh();
    } else setError(r.error);
  });
  return (
    <Dialog
      open={open}
      onOpenChange={(o) => {
        if (o) preloadSchema(loadSchema);
        setOpen(o);
      }}
    >
      <DialogTrigger asChild>
        <Button variant="ghost" size="sm" aria-label={t("massVideoNamed", { name: filename })}>
          {t("massVideo")}
        </Button>
      </DialogTrigger>
      <DialogContent title={t("massVideoTitle")} description={t("massVideoBody")}>
        <form onSubmit={submit} noValidate className="space-y-3">
          {error && <Alert tone="error">{error}</Alert>}
          <Field id={`mv-title-${id}`} label={t("videoTitleRequired")} hint={`${titleLen}/${VIDEO_TITLE_MAX}`} error={form.formState.errors.title?.message}>
            <Input {...form.register("title")} />
          </Field>
          <Field
            id={`mv-desc-${id}`}
            label={t("videoDescription")}
            hint={`${descLen}/${VIDEO_DESCRIPTION_MAX}`}
            error={form.formState.errors.description?.message}
          >
            <Textarea {...form.register("description")} className="min-h-16" />
          </Field>
          <div className="flex justify-end gap-2">
            <DialogClose asChild>
              <Button type="button" variant="secondary">
                {t("cancel")}
              </Button>
            </DialogClose>
            <Button type="submit" disabled={form.formState.isSubmitting}>
              {t("massVideoSubmit")}
            </Button>
          </div>
        </form>
      </DialogContent>
    </Dialog>
  );
}

function CopyDialog({ accountId, id, filename, otherAccounts }: Props) {
  const t = useTranslations("media");
  const [open, setOpen] = useState(false);
  const [to, setTo] = useState(otherAccounts[0]?.id ?? "");
  const [pending, start] = useTransition();
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="ghost" size="sm" aria-label={t("copyNamed", { name: filename })}>
          {t("copyToAccount")}
        </Button>
      </DialogTrigger>
      <DialogContent title={t("copyTitle", { name: filename })} description={t("copyBody")}>
        <div className="space-y-3">
          <Field id={`copy-to-${id}`} label={t("copyTarget")}>
            <Select value={to} onChange={(e) => setTo(e.target.value)}>
              {otherAccounts.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name}
                </option>
              ))}
            </Select>
          </Field>
          {msg && <Alert tone={msg.ok ? "success" : "error"}>{msg.text}</Alert>}
          <div className="flex justify-end gap-2">
            <DialogClose asChild>
              <Button variant="secondary">{t("close")}</Button>
            </DialogClose>
            <Button
              disabled={pending || !to}
              onClick={() =>
                start(async () => {
                  const r = await copyMediaAction({ accountId, id, toAccountId: to });
                  setMsg(r.ok ? { ok: true, text: t("copied", { id: r.data.mediaId ?? r.data.url ?? "" }) } : { ok: false, text: r.error });
                })
              }
            >
              {t("copySubmit")}
            </Button>
          </div>
        </div>
      </DialogContent>
    </Dialog>
  );
}
