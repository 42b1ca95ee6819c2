"use client";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { useTranslations } from "next-intl";

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
        <ResponsiveContainer>
          <BarChart data={rows} accessibilityLayer={false}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="name" tick={{ fontSize: 11 }} interval={0} />
            <YAxis allowDecimals={false} />
            <Tooltip />
            <Legend />
            <Bar dataKey="sent" stackId="a" name={t("sent")} fill="#047857" />
            <Bar dataKey="errors" stackId="a" name={t("errors")} fill="#b91c1c" />
            <Bar dataKey="filteredOut" stackId="a" name={t("filteredOut")} fill="#94a3b8" />
          </BarChart>
        </ResponsiveContainer>
      </div>
      {/* The same numbers for screen readers. */}
      <table className="sr-only">
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
    </figure>
  );
}
