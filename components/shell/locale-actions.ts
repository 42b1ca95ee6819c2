"use server";
import { cookies } from "next/headers";
import { LOCALE_COOKIE, toLocale } from "@/lib/i18n/locales";

/** Anyone may choose their language: it only sets their own cookie. */
export async function setLocaleAction(locale: string): Promise<void> {
  const store = await cookies();
  store.set(LOCALE_COOKIE, toLocale(locale), { path: "/", sameSite: "lax", maxAge: 60 * 60 * 24 * 365 });
}
