import { ClientMessages } from "@/components/shell/client-messages";

/** The messages this section's client components translate (and its error state's). */
export default function CampaignsLayout({ children }: { children: React.ReactNode }) {
  return <ClientMessages namespaces={["campaigns", "news", "rules"]}>{children}</ClientMessages>;
}
