"use client";
import { useState } from "react";
import { usePathname } from "next/navigation";
import { useTranslations } from "next-intl";
import * as DialogPrimitive from "@radix-ui/react-dialog";
import { Menu, X } from "lucide-react";

/**
 * Below 768 px the sidebar and the header's controls would leave the page ~140 px: they move into
 * this menu, a modal panel (Radix dialog: focus moves in, stays in, and returns to the button; Escape
 * closes it). It also closes once a link in it is followed or the account is switched.
 */
export function MobileMenu({ children }: { children: React.ReactNode }) {
  const t = useTranslations("nav");
  const pathname = usePathname();
  // Open on the page it was opened on: a navigation to another page closes it without an effect.
  const [openOn, setOpenOn] = useState<string | null>(null);
  const open = openOn === pathname;
  return (
    <DialogPrimitive.Root open={open} onOpenChange={(o) => setOpenOn(o ? pathname : null)}>
      <DialogPrimitive.Trigger className="ml-auto inline-flex items-center gap-1 rounded px-2 py-1 text-sm text-white hover:bg-slate-700 focus-visible:outline focus-visible:outline-2 focus-visible:outline-white md:hidden">
        <Menu aria-hidden className="size-5" />
        {t("mobile.menu")}
      </DialogPrimitive.Trigger>
      <DialogPrimitive.Portal>
        <DialogPrimitive.Overlay className="fixed inset-0 z-40 bg-slate-900/40 md:hidden" />
        <DialogPrimitive.Content
          aria-describedby={undefined}
          className="fixed inset-y-0 right-0 z-50 flex w-[min(20rem,85vw)] flex-col gap-4 overflow-y-auto bg-white p-4 shadow-xl md:hidden"
          // A followed link (even to the page already shown) closes the menu.
          onClick={(e) => {
            if ((e.target as HTMLElement).closest("a[href]")) setOpenOn(null);
          }}
        >
          <div className="flex items-center justify-between">
            <DialogPrimitive.Title className="text-base font-semibold">{t("mobile.menu")}</DialogPrimitive.Title>
            <DialogPrimitive.Close className="rounded p-1 text-slate-700 hover:bg-slate-100 focus-visible:outline focus-visible:outline-2 focus-visible:outline-emerald-600">
              <X aria-hidden className="size-5" />
              <span className="sr-only">{t("mobile.close")}</span>
            </DialogPrimitive.Close>
          </div>
          {children}
        </DialogPrimitive.Content>
      </DialogPrimitive.Portal>
    </DialogPrimitive.Root>
  );
}
