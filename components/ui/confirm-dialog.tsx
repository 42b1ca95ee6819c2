"use client";
import * as React from "react";
import { Button, type ButtonProps } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogTrigger } from "@/components/ui/dialog";

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
export function ConfirmDialog({
  trigger,
  title,
  description,
  confirmLabel,
  cancelLabel,
  onConfirm,
  pending = false,
  closeOnConfirm = false,
  confirmVariant = "destructive",
  open,
  onOpenChange,
  children,
}: {
  /** the element that opens the dialog (rendered through DialogTrigger asChild, so a Button) */
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
}) {
  const confirm = (
    <Button variant={confirmVariant} disabled={pending} onClick={onConfirm}>
      {confirmLabel}
    </Button>
  );
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>{trigger}</DialogTrigger>
      <DialogContent title={title} description={description}>
        {children}
        <div className="flex justify-end gap-2">
          <DialogClose asChild>
            <Button variant="secondary">{cancelLabel}</Button>
          </DialogClose>
          {closeOnConfirm ? <DialogClose asChild>{confirm}</DialogClose> : confirm}
        </div>
      </DialogContent>
    </Dialog>
  );
}
