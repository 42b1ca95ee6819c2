"use client";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { ChartRow } from "./results-chart";

/** The stacked bars of ResultsChart (loaded in the browser only). */
export default function ResultsBars({ rows, labels }: { rows: ChartRow[]; labels: { sent: string; errors: string; filteredOut: string } }) {
  return (
    <ResponsiveContainer>
      <BarChart data={rows} accessibilityLayer={false}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="name" tick={{ fontSize: 11 }} interval={0} />
        <YAxis allowDecimals={false} />
        <Tooltip />
        <Legend />
        <Bar isAnimationActive={false} dataKey="sent" stackId="a" name={labels.sent} fill="#047857" />
        <Bar isAnimationActive={false} dataKey="errors" stackId="a" name={labels.errors} fill="#b91c1c" />
        <Bar isAnimationActive={false} dataKey="filteredOut" stackId="a" name={labels.filteredOut} fill="#94a3b8" />
      </BarChart>
    </ResponsiveContainer>
  );
}
