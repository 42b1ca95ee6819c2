import { getTranslations } from "next-intl/server";

export default async function Loading() {
  const t = await getTranslations("common");
  return (
    <div role="status" aria-live="polite" className="p-10 text-slate-600">
      {t("loading")}
    </div>
  );
}
