"use client";
import { useId, useRef, useState } from "react";
import dynamic from "next/dynamic";
import { usePathname } from "next/navigation";
import { useTranslations } from "next-intl";
import { Menu } from "lucide-react";

// The panel (a Radix dialog, ~12 KB gzip) is fetched when the menu is first wanted: pointed at,
// focused or opened. Most visits never open it (it is hidden from 768 px).
const loadPanel = () => import("./mobile-menu-panel");
const MobileMenuPanel = dynamic(() => loadPanel().then((m) => m.MobileMenuPanel), { ssr: false });

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
  // Rendered from the first opening on, so that it can close (and give focus back) as Radix does.
  const [wanted, setWanted] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const contentId = useId();
  const preload = () => void loadPanel().catch(() => {});
  return (
    <>
      {/* What Radix's Dialog.Trigger renders, without Radix until the panel is wanted. */}
      <button
        ref={button}
        type="button"
        aria-haspopup="dialog"
        aria-expanded={open}
        aria-controls={open ? contentId : undefined}
        data-state={open ? "open" : "closed"}
        className="ml-auto inline-flex items-center gap-1 rounded px-2 py-1 text-sm text-white hover:bg-slate-700 focus-visible:outline focus-visible:outline-2 focus-visible:outline-white md:hidden"
        onPointerEnter={preload}
        onFocus={preload}
        onClick={() => {
          setWanted(true);
          setOpenOn(pathname);
        }}
      >
        <Menu aria-hidden className="size-5" />
        {t("mobile.menu")}
      </button>
      {wanted && (
        <MobileMenuPanel
          open={open}
          onOpenChange={(o) => setOpenOn(o ? pathname : null)}
          contentId={contentId}
          returnFocus={() => button.current?.focus()}
          onLinkFollowed={() => setOpenOn(null)}
        >
          {children}
        </MobileMenuPanel>
      )}
    </>
  );
}
