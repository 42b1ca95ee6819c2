import * as React from "react";
import { cn } from "@/lib/utils";

export function Table({ className, caption, ...props }: React.TableHTMLAttributes<HTMLTableElement> & { caption?: React.ReactNode }) {
  return (
    // Focusable so a table wider than the screen can be scrolled from the keyboard (axe: scrollable-region-focusable).
    // Positioned, so visually hidden text in a cell (absolutely placed) is clipped by the scrolling box
    // instead of widening the page on a phone.
    <div
      className="relative overflow-x-auto rounded-lg border border-slate-200 focus-visible:outline focus-visible:outline-2 focus-visible:outline-emerald-600"
      tabIndex={0}
      role={typeof caption === "string" ? "region" : undefined}
      aria-label={typeof caption === "string" ? caption : undefined}
    >
      <table className={cn("w-full text-left text-sm", className)} {...props}>
        {caption && <caption className="sr-only">{caption}</caption>}
        {props.children}
      </table>
    </div>
  );
}
export const Th = ({ className, ...p }: React.ThHTMLAttributes<HTMLTableCellElement>) => (
  <th scope="col" className={cn("bg-slate-50 px-3 py-2 font-medium text-slate-700", className)} {...p} />
);
export const Td = ({ className, ...p }: React.TdHTMLAttributes<HTMLTableCellElement>) => (
  <td className={cn("border-t border-slate-100 px-3 py-2 align-top", className)} {...p} />
);
