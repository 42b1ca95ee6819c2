"use client";
import { useTranslations } from "next-intl";
import * as DialogPrimitive from "@radix-ui/react-dialog";
import { X } from "lucide-react";

/** The phone menu's panel (see MobileMenu), loaded on demand. */
export function MobileMenuPanel({
  open,
  onOpenChange,
  contentId,
  returnFocus,
  onLinkFollowed,
  children,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  contentId: string;
  returnFocus: () => void;
  onLinkFollowed: () => void;
  children: React.ReactNode;
}) {
  const t = useTranslations("nav");
  return (
    <DialogPrimitive.Root open={open} onOpenChange={onOpenChange}>
      <DialogPrimitive.Portal>
        <DialogPrimitive.Overlay className="fixed inset-0 z-40 bg-slate-900/40 md:hidden" />
        <DialogPrimitive.Content
          id={contentId}
          aria-describedby={undefined}
          className="fixed inset-y-0 right-0 z-50 flex w-[min(20rem,85vw)] flex-col gap-4 overflow-y-auto bg-white p-4 shadow-xl md:hidden"
          // Focus goes back to the menu button (there is no Dialog.Trigger: the button is MobileMenu's).
          onCloseAutoFocus={(e) => {
            e.preventDefault();
            returnFocus();
          }}
          // A followed link (even to the page already shown) closes the menu.
          onClick={(e) => {
            if ((e.target as HTMLElement).closest("a[href]")) onLinkFollowed();
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
