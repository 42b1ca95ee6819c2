"use client";
import { SectionError } from "@/components/shell/section-error";

export default function NewsError(props: { error: Error & { digest?: string }; reset: () => void }) {
  return <SectionError namespace="news" {...props} />;
}
