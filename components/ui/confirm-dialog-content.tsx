"use client";
import * as DialogPrimitive from "@radix-ui/react-dialog";
import { Button } from "@/components/ui/button";
import { DialogClose, DialogContent } from "@/components/ui/dialog";
import type { ConfirmDialogProps } from "./confirm-dialog";

/** The dialog of a ConfirmDialog, loaded when it is first wanted (see confirm-dialog.tsx). */
export function ConfirmDialogContent({
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
  contentId,
  returnFocus,
  children,
}: Omit<ConfirmDialogProps, "trigger" | "open" | "onOpenChange"> & {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  contentId: string;
  returnFocus: () => void;
}) {
  const confirm = (
    <Button variant={confirmVariant} disabled={pending} onClick={onConfirm}>
      {confirmLabel}
    </Button>
  );
  return (
    <DialogPrimitive.Root open={open} onOpenChange={onOpenChange}>
      <DialogContent
        title={title}
        description={description}
        id={contentId}
        onCloseAutoFocus={(e) => {
          e.preventDefault();
          returnFocus();
        }}
      >
        {children}
        <div className="flex justify-end gap-2">
          <DialogClose asChild>
            <Button variant="secondary">{cancelLabel}</Button>
          </DialogClose>
          {closeOnConfirm ? <DialogClose asChild>{confirm}</DialogClose> : confirm}
        </div>
      </DialogContent>
    </DialogPrimitive.Root>
  );
}
