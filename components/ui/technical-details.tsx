import * as React from "react";
import { cn } from "@/lib/utils";

/**
 * WeChat's raw fields (media_id, clientmsgid, status codes, audit JSON) for the few who need them,
 * folded away under 「技术详情」 so the marketer reads plain words first.
 */
export function TechnicalDetails({ label, rows, json, className }: { label: string; rows?: [string, string][]; json?: unknown; className?: string }) {
  const shown = (rows ?? []).filter(([, v]) => v !== "");
  if (!shown.length && json === undefined) return null;
  return (
    <details className={cn("text-xs text-slate-700", className)} data-testid="technical-details">
      <summary className="cursor-pointer select-none text-slate-600 underline decoration-dotted">{label}</summary>
      {shown.length > 0 && (
        <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-2 gap-y-0.5 font-mono">
          {shown.map(([k, v]) => (
            <React.Fragment key={k}>
              <dt className="text-slate-600">{k}</dt>
              <dd className="break-all">{v}</dd>
            </React.Fragment>
          ))}
        </dl>
      )}
      {json !== undefined && <pre className="mt-1 max-w-md whitespace-pre-wrap break-all font-mono">{JSON.stringify(json)}</pre>}
    </details>
  );
}
