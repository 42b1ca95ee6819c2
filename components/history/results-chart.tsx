"use client";
import dynamic from "next/dynamic";
import { useTranslations } from "next-intl";

// The bars are drawn in the browser only: recharts' ResponsiveContainer draws nothing until it has
// measured its box, so on the server it only cost memory (recharts and its dependencies, ~250
// modules, loaded into the server for good by the first history page; the console's memory budget). The
// box keeps its size meanwhile, and the table below carries the numbers either way.
// Recharts (~110 KB gzip) comes in its own chunk, fetched only when a chart is on the page; until
// it has arrived the box shows a quiet placeholder of the chart's size, so nothing below moves.
const ResultsBars = dynamic(() => import("./results-bars"), { ssr: false, loading: ChartPlaceholder });

function ChartPlaceholder() {
  return <div className="h-full w-full animate-pulse rounded bg-slate-100" data-testid="chart-loading" />;
}

export interface ChartRow {
  name: string;
  sent: number;
  filteredOut: number;
  errors: number;
}

/** Sent / filtered out / failed per campaign (or per batch), stacked: who the message reached. */
export function ResultsChart({ rows, title }: { rows: ChartRow[]; title: string }) {
  const t = useTranslations("history");
  if (rows.length === 0) return null;
  return (
    <figure className="rounded-lg border border-slate-200 bg-white p-4">
      <figcaption className="mb-2 text-sm font-medium">{title}</figcaption>
      <div style={{ width: "100%", height: 240 }} aria-hidden="true">
        <ResultsBars rows={rows} labels={{ sent: t("sent"), errors: t("errors"), filteredOut: t("filteredOut") }} />
      </div>
      {/* The same numbers for screen readers. In a visually hidden box, not a hidden table: a table
          is never narrower than its content, and an absolutely placed one widened a phone's page. */}
      <div className="sr-only">
        <table>
          <caption>{title}</caption>
          <thead>
            <tr>
              <th scope="col">{t("name")}</th>
              <th scope="col">{t("sent")}</th>
              <th scope="col">{t("errors")}</th>
              <th scope="col">{t("filteredOut")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={i}>
                <td>{r.name}</td>
                <td>{r.sent}</td>
                <td>{r.errors}</td>
                <td>{r.filteredOut}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
