"use client";
import * as DialogPrimitive from "@radix-ui/react-dialog";
import { DialogContent } from "@/components/ui/dialog";

/** The dialog of a LazyDialog, loaded when it is first wanted (see lazy-dialog.tsx). */
export function LazyDialogContent({
  open,
  onOpenChange,
  contentId,
  returnFocus,
  title,
  description,
  className,
  children,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  contentId: string;
  returnFocus: () => void;
  title: React.ReactNode;
  description?: React.ReactNode;
  className?: string;
  children: React.ReactNode;
}) {
  return (
    <DialogPrimitive.Root open={open} onOpenChange={onOpenChange}>
      <DialogContent
        title={title}
        description={description}
        className={className}
        id={contentId}
        onCloseAutoFocus={(e) => {
          e.preventDefault();
          returnFocus();
        }}
      >
        {children}
      </DialogContent>
    </DialogPrimitive.Root>
  );
}
