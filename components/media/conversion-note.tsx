"use client";
import { useTranslations } from "next-intl";
import type { MediaConversion } from "@/lib/media/dto";
import { formatBytes, typeFromMime, TYPE_LABEL } from "@/lib/media/limits";

/** "PNG 3.1 MB → JPG 58 KB": what qunfa did to the file so WeChat would take it. */
export function ConversionNote({ conversion, mime, size }: { conversion: MediaConversion | null; mime: string; size: number }) {
  const t = useTranslations("media");
  if (!conversion) return null;
  const from = typeFromMime(conversion.fromMime);
  const to = typeFromMime(mime);
  return (
    <span className="text-xs text-slate-700" data-testid="conversion-note">
      {t("converted", {
        from: `${from ? TYPE_LABEL[from] : conversion.fromMime} ${formatBytes(conversion.fromSize)}`,
        to: `${to ? TYPE_LABEL[to] : mime} ${formatBytes(size)}`,
      })}
    </span>
  );
}
