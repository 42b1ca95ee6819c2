import { ClientMessages } from "@/components/shell/client-messages";

/** The messages this section's client components translate (and its error state's). */
export default function NewsDraftLayout({ children }: { children: React.ReactNode }) {
  return <ClientMessages namespaces={["news", "media", "campaigns", "rules"]}>{children}</ClientMessages>;
}
