"use client";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import type { ImportReport } from "@/lib/audiences/import";
import { useHydrated } from "@/components/forms/use-hydrated";

/** Uploads an OpenID file as one stream (XMLHttpRequest for its progress) and shows the import report. */
export function UploadList({ accountId }: { accountId: string }) {
  const t = useTranslations("audiences");
  const router = useRouter();
  const fileRef = useRef<HTMLInputElement>(null);
  const [name, setName] = useState("");
  const [column, setColumn] = useState("");
  const [progress, setProgress] = useState<number | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [error, setError] = useState<{ field?: string; text: string } | null>(null);
  // A name or column typed before hydration was shown but not in state (the upload was refused, or read the default column).
  const ready = useHydrated();
  const upload = () => {
    const file = fileRef.current?.files?.[0];
    setError(null);
    setReport(null);
    if (!name.trim()) return setError({ field: "name", text: t("error.name") });
    if (!file) return setError({ field: "file", text: t("error.empty") });
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `/${accountId}/audiences/upload?name=${encodeURIComponent(name)}&column=${encodeURIComponent(column)}`);
    xhr.setRequestHeader("content-type", "text/csv");
    xhr.upload.onprogress = (e) => e.lengthComputable && setProgress(Math.round((e.loaded / e.total) * 100));
    xhr.onload = () => {
      setProgress(null);
      const body = JSON.parse(xhr.responseText || "{}");
      if (xhr.status === 200) {
        setReport(body.report);
        router.refresh();
      } else setError({ field: body.field, text: body.error ?? String(xhr.status) });
    };
    xhr.onerror = () => {
      setProgress(null);
      setError({ text: t("error.network") });
    };
    setProgress(0);
    xhr.send(file);
  };
  return (
    <div className="space-y-3">
      <fieldset disabled={!ready} className="min-w-0 space-y-3">
        <div className="grid gap-3 md:grid-cols-3">
          <Field id="list-name" label={t("name")} error={error?.field === "name" ? error.text : undefined}>
            <Input value={name} onChange={(e) => setName(e.target.value)} />
          </Field>
          <Field id="list-file" label={t("file")} hint={t("fileHint")} error={error?.field === "file" ? error.text : undefined}>
            <Input ref={fileRef} type="file" accept=".csv,.txt,text/csv,text/plain" />
          </Field>
          <Field id="list-column" label={t("column")} hint={t("columnHint")} error={error?.field === "column" ? error.text : undefined}>
            <Input value={column} onChange={(e) => setColumn(e.target.value)} placeholder="openid" />
          </Field>
        </div>
        <Button type="button" onClick={upload} disabled={progress !== null}>
          {progress !== null ? t("uploading", { pct: progress }) : t("uploadButton")}
        </Button>
      </fieldset>
      {progress !== null && <progress className="w-full" max={100} value={progress} aria-label={t("uploadProgress")} />}
      <div aria-live="polite">
        {error && !error.field && <Alert tone="error">{error.text}</Alert>}
        {report && (
          <Alert tone="success">
            <p className="font-medium">{t("reportTitle")}</p>
            <ul className="mt-1 text-sm" data-testid="import-report">
              <li>{t("report.lines", { n: report.linesRead })}</li>
              <li>{t("report.valid", { n: report.valid })}</li>
              <li>{t("report.invalid", { n: report.invalid })}</li>
              <li>{t("report.blank", { n: report.blank })}</li>
              <li>{t("report.duplicates", { n: report.duplicates })}</li>
              <li>{t("report.requests", { n: report.requests })}</li>
            </ul>
            {report.invalidSamples.length > 0 && (
              <p className="mt-1 text-xs">{t("report.invalidLines", { lines: report.invalidSamples.map((s) => s.line).join(", ") })}</p>
            )}
          </Alert>
        )}
      </div>
    </div>
  );
}
