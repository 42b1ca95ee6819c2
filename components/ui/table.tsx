import * as React from "react";
import { cn } from "@/lib/utils";

/**
 * A data table. Below 768 px a table marked `stack` shows each row as a card of label: value lines
 * (each Td names its column with `label`; the styles are in app/globals.css), so a phone reads a
 * campaign's name, state and counts without scrolling sideways. A table not stacked keeps its
 * columns and scrolls inside its own box; its columns keep a readable width instead of being
 * squeezed to one character a line (CJK text may break between any two characters).
 */
export function Table({ className, caption, stack, ...props }: React.TableHTMLAttributes<HTMLTableElement> & { caption?: React.ReactNode; stack?: boolean }) {
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
      <table className={cn("w-full text-left text-sm", className)} data-stack={stack ? "" : undefined} {...props}>
        {caption && <caption className="sr-only">{caption}</caption>}
        {props.children}
      </table>
    </div>
  );
}

export const Th = ({ className, ...p }: React.ThHTMLAttributes<HTMLTableCellElement>) => (
  // A heading on one line: it sets the least width of its column.
  <th scope="col" className={cn("whitespace-nowrap bg-slate-50 px-3 py-2 font-medium text-slate-700", className)} {...p} />
);

/**
 * A cell. `label` names its column on a phone's card (a stacked table); screen readers hear the
 * column's heading instead, so the label is hidden from them. `numeric` cells sit right-aligned
 * on one line and need no more width than their number.
 */
export function Td({
  className,
  label,
  numeric,
  children,
  ...p
}: React.TdHTMLAttributes<HTMLTableCellElement> & { label?: React.ReactNode; numeric?: boolean }) {
  return (
    <td
      className={cn("border-t border-slate-100 px-3 py-2 align-top", numeric ? "whitespace-nowrap text-right" : "min-w-[7em]", className)}
      data-labelled={label !== undefined ? "" : undefined}
      {...p}
    >
      {label !== undefined ? (
        <>
          <span className="cell-label" aria-hidden="true">
            {label}
          </span>
          <div className="min-w-0">{children}</div>
        </>
      ) : (
        children
      )}
    </td>
  );
}
