"use client";
import { SectionError } from "@/components/shell/section-error";

export default function MediaError(props: { error: Error & { digest?: string }; reset: () => void }) {
  return <SectionError namespace="media" {...props} />;
}
