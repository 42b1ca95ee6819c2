"use client";
import { useTranslations } from "next-intl";
import { signOutAction } from "@/app/(auth)/actions";

export function SignOutButton({ tone = "header" }: { tone?: "header" | "menu" }) {
  const t = useTranslations("nav");
  return (
    <button
      type="button"
      className={
        tone === "header"
          ? "whitespace-nowrap rounded px-2 py-1 text-sm text-slate-200 hover:bg-slate-700 focus-visible:outline focus-visible:outline-2 focus-visible:outline-white"
          : "rounded px-3 py-2 text-left text-sm text-slate-700 hover:bg-slate-100 focus-visible:outline focus-visible:outline-2 focus-visible:outline-emerald-600"
      }
      onClick={async () => {
        await signOutAction();
        // A full load, so nothing of the signed-in session stays in client caches.
        // eslint-disable-next-line @next/next/no-location-assign-relative-destination
        window.location.assign("/sign-in");
      }}
    >
      {t("signOut")}
    </button>
  );
}
