"use client";
import * as React from "react";
import { CalendarDays } from "lucide-react";
import { useTranslations } from "next-intl";
import { Input } from "@/components/ui/input";
import { parseDateTimeText, parseDayText } from "@/lib/i18n/time";
import { cn } from "@/lib/utils";

type Kind = "date" | "datetime";

const PICKER_BUTTON =
  "absolute right-1 inline-flex h-8 w-8 items-center justify-center rounded text-slate-600 hover:bg-slate-100 " +
  "focus-visible:outline focus-visible:outline-2 focus-visible:outline-emerald-600 disabled:opacity-50";

/** What the field shows: the console's one format (`2026-12-03`, `2026-12-03 16:40`). */
function shown(kind: Kind, text: string): string | null {
  const v = kind === "date" ? parseDayText(text) : parseDateTimeText(text);
  return v === null ? null : v.replace("T", " ");
}

/**
 * A day (or a day and a time) in the console's one format, in both languages. A text field, so the
 * page never shows the browser's own date format beside ours; what people type is read leniently
 * (2026/12/3, 2026年12月3日, 9点30分) and rewritten in the format when they leave the field. The
 * calendar button opens the browser's picker for those who would rather click; its choice is written
 * back in the format. A value that is no day says so under the field, naming the format.
 *
 * Controlled (`value` + `onValueChange` with the text as typed) or uncontrolled (`defaultValue`,
 * e.g. with `name` in a plain GET form; a changed `defaultValue` is shown). `onCommit` gets the normalised value (`YYYY-MM-DD` /
 * `YYYY-MM-DDTHH:mm`, or null when emptied) when the field is left or Enter is pressed.
 */
export function DateField({
  id,
  kind = "date",
  name,
  value,
  defaultValue,
  onValueChange,
  onCommit,
  disabled,
  className,
  "aria-describedby": describedBy,
  "aria-invalid": invalid,
}: {
  id: string;
  kind?: Kind;
  name?: string;
  value?: string;
  defaultValue?: string;
  onValueChange?: (text: string) => void;
  onCommit?: (value: string | null) => void;
  disabled?: boolean;
  className?: string;
  "aria-describedby"?: string;
  "aria-invalid"?: boolean;
}) {
  const t = useTranslations("common");
  const [own, setOwn] = React.useState(defaultValue ?? "");
  const text = value ?? own;
  // A value that came in wrong (a shared link's ?from=2020-13-45) is marked from the start.
  const [wrong, setWrong] = React.useState(() => text.trim() !== "" && shown(kind, text) === null);
  // Uncontrolled, but following `defaultValue` when it changes (a filter changed by the back button
  // or a shared link): the field is not remounted for it, which would drop the focus of a keyboard
  // user who just left the field for its calendar button.
  const [seenDefault, setSeenDefault] = React.useState(defaultValue);
  if (value === undefined && defaultValue !== seenDefault) {
    setSeenDefault(defaultValue);
    setOwn(defaultValue ?? "");
    setWrong((defaultValue ?? "").trim() !== "" && shown(kind, defaultValue ?? "") === null);
  }
  const picker = React.useRef<HTMLInputElement>(null);
  const errorId = `${id}-format`;

  const set = (next: string) => {
    if (value === undefined) setOwn(next);
    onValueChange?.(next);
  };
  const commit = (raw: string) => {
    if (raw.trim() === "") {
      setWrong(false);
      if (raw !== "") set("");
      onCommit?.(null);
      return;
    }
    const v = shown(kind, raw);
    setWrong(v === null);
    if (v === null) return;
    if (v !== raw) set(v);
    onCommit?.(v.replace(" ", "T"));
  };
  const openPicker = () => {
    const el = picker.current;
    if (!el) return;
    const v = kind === "date" ? parseDayText(text) : parseDateTimeText(text);
    el.value = v ?? "";
    try {
      el.showPicker();
    } catch {
      // A browser without showPicker: the typed field still works.
    }
  };

  return (
    // The width is the wrapper's, so the message under the field wraps inside it instead of widening
    // the row (a widened row moved the button beside it away from under the pointer).
    <div className={cn("min-w-0 max-w-full", kind === "date" ? "w-40" : "w-56", className)}>
      <div className="relative flex items-center">
        <Input
          id={id}
          name={name}
          value={text}
          disabled={disabled}
          inputMode={kind === "date" ? "numeric" : "text"}
          autoComplete="off"
          spellCheck={false}
          placeholder={kind === "date" ? t("datePlaceholder") : t("dateTimePlaceholder")}
          className="pr-10"
          aria-invalid={wrong || invalid || undefined}
          aria-describedby={[describedBy, wrong ? errorId : undefined].filter(Boolean).join(" ") || undefined}
          onChange={(e) => {
            set(e.target.value);
            if (wrong && shown(kind, e.target.value) !== null) setWrong(false);
          }}
          onBlur={(e) => commit(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter") commit(e.currentTarget.value);
          }}
        />
        <button
          type="button"
          disabled={disabled}
          onClick={openPicker}
          aria-label={kind === "date" ? t("pickDate") : t("pickDateTime")}
          title={kind === "date" ? t("pickDate") : t("pickDateTime")}
          className={PICKER_BUTTON}
        >
          <CalendarDays aria-hidden className="h-4 w-4" />
        </button>
        {/* The browser's picker, opened by the button; never focused, never read out, never submitted. */}
        <input
          ref={picker}
          type={kind === "date" ? "date" : "datetime-local"}
          tabIndex={-1}
          aria-hidden
          className="pointer-events-none absolute bottom-0 right-0 h-px w-px opacity-0"
          onChange={(e) => {
            if (!e.target.value) return;
            const v = e.target.value.replace("T", " ");
            set(v);
            setWrong(false);
            onCommit?.(e.target.value);
          }}
        />
      </div>
      {wrong && (
        <p id={errorId} role="alert" className="mt-1 text-xs font-medium text-red-700">
          {kind === "date" ? t("dateFormatWrong", { example: "2026-12-03" }) : t("dateTimeFormatWrong", { example: "2026-12-05 09:30" })}
        </p>
      )}
    </div>
  );
}
