"use client";
import * as React from "react";
import dynamic from "next/dynamic";
import type { ButtonProps } from "@/components/ui/button";
import { useLazyDialogTrigger } from "./lazy-dialog";

// The dialog (Radix, ~12 KB gzip) is fetched when it is first wanted: its trigger pointed at,
// focused or pressed. Most visits of a page with a confirmation never open it.
const load = () => import("./confirm-dialog-content");
const ConfirmDialogContent = dynamic(() => load().then((m) => m.ConfirmDialogContent), { ssr: false });

export interface ConfirmDialogProps {
  /** the element that opens the dialog (a Button: it gets what Radix's DialogTrigger gave it) */
  trigger: React.ReactElement;
  title: React.ReactNode;
  description?: React.ReactNode;
  confirmLabel: React.ReactNode;
  cancelLabel: React.ReactNode;
  onConfirm: () => void;
  pending?: boolean;
  closeOnConfirm?: boolean;
  confirmVariant?: ButtonProps["variant"];
  /** controlled open state; leave both out for a dialog that opens and closes by itself */
  open?: boolean;
  onOpenChange?: (open: boolean) => void;
  /** shown between the description and the buttons */
  children?: React.ReactNode;
}

/**
 * A confirmation behind a trigger: title, description, optional extra content (children), then
 * cancel and confirm. Built on DialogContent, so the title names the dialog and the description
 * describes it; focus goes to the first button inside (cancel, unless children hold something
 * focusable) and back to the trigger on close.
 *
 * Two ways of closing after confirm:
 * - `closeOnConfirm`: the dialog closes as confirm is clicked and onConfirm runs on (the caller
 *   shows the outcome outside the dialog, and usually disables its trigger while pending);
 * - otherwise it stays open, confirm disabled while `pending`, and the caller closes it through
 *   `open` / `onOpenChange` once the action succeeded.
 */
export function ConfirmDialog({ trigger, open: openProp, onOpenChange, ...rest }: ConfirmDialogProps) {
  const [own, setOwn] = React.useState(false);
  const open = openProp ?? own;
  const setOpen = (o: boolean) => {
    if (openProp === undefined) setOwn(o);
    onOpenChange?.(o);
  };
  const { opener, rendered, contentId, returnFocus } = useLazyDialogTrigger(trigger, open, setOpen, () => void load().catch(() => {}));
  return (
    <>
      {opener}
      {rendered && <ConfirmDialogContent {...rest} open={open} onOpenChange={setOpen} contentId={contentId} returnFocus={returnFocus} />}
    </>
  );
}
