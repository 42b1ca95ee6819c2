"use client";
import * as React from "react";
import dynamic from "next/dynamic";

// The dialog (Radix, ~12 KB gzip) is fetched when it is first wanted: its trigger pointed at,
// focused or pressed (as ConfirmDialog's is).
const load = () => import("./lazy-dialog-content");
const LazyDialogContent = dynamic(() => load().then((m) => m.LazyDialogContent), { ssr: false });

type Handler = (e: React.SyntheticEvent) => void;

/**
 * What Radix's DialogTrigger (asChild) gives a trigger, without Radix in the page until the dialog
 * is wanted: the trigger's own handlers run first, a press opens, pointing at or focusing it fetches
 * the dialog's code (`preload`). `wanted` turns true at the first opening, after which the content
 * stays rendered so that it can close (and give focus back) as Radix does. Shared by LazyDialog and
 * ConfirmDialog.
 */
export function useLazyDialogTrigger(trigger: React.ReactElement, open: boolean, setOpen: (open: boolean) => void, preload: () => void) {
  const [wanted, setWanted] = React.useState(false);
  const triggerRef = React.useRef<HTMLElement | null>(null);
  const contentId = React.useId();
  const child = trigger as React.ReactElement<Record<string, unknown>>;
  const props = child.props;
  const chain =
    (name: string, then: Handler): Handler =>
    (e) => {
      (props[name] as Handler | undefined)?.(e);
      if (!e.defaultPrevented) then(e);
    };
  const opener = React.cloneElement(child, {
    ref: triggerRef,
    type: (props.type as string | undefined) ?? "button",
    "aria-haspopup": "dialog",
    "aria-expanded": open,
    "aria-controls": open ? contentId : undefined,
    "data-state": open ? "open" : "closed",
    onClick: chain("onClick", () => {
      setWanted(true);
      setOpen(true);
    }),
    onPointerEnter: chain("onPointerEnter", preload),
    onFocus: chain("onFocus", preload),
  });
  return { opener, rendered: wanted || open, contentId, returnFocus: () => triggerRef.current?.focus() };
}

/**
 * A controlled dialog behind a trigger, like `Dialog` + `DialogTrigger asChild` + `DialogContent`,
 * without Radix in the page's first load. What is inside closes it through `onOpenChange(false)`
 * (there is no DialogClose: that would bring Radix back).
 */
export function LazyDialog({
  trigger,
  open,
  onOpenChange,
  title,
  description,
  className,
  children,
}: {
  /** the element that opens the dialog (a Button: it gets what Radix's DialogTrigger gave it) */
  trigger: React.ReactElement;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: React.ReactNode;
  description?: React.ReactNode;
  className?: string;
  children: React.ReactNode;
}) {
  const { opener, rendered, contentId, returnFocus } = useLazyDialogTrigger(trigger, open, onOpenChange, () => void load().catch(() => {}));
  return (
    <>
      {opener}
      {rendered && (
        <LazyDialogContent
          open={open}
          onOpenChange={onOpenChange}
          contentId={contentId}
          returnFocus={returnFocus}
          title={title}
          description={description}
          className={className}
        >
          {children}
        </LazyDialogContent>
      )}
    </>
  );
}
