"use client";
import { createContext, useContext, useEffect, useRef, type ReactNode } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { isLive, type CampaignLive } from "@/lib/campaigns/live";

const LiveContext = createContext<CampaignLive | null>(null);

/**
 * The campaign page's one poller: the progress route's read model, every 1.5 s while anything can
 * still change (the campaign runs, a batch waits to be sent or for its result), shared by the
 * progress panel and the live results under one query key.
 */
export function CampaignLiveProvider({
  accountId,
  campaignId,
  initial,
  children,
}: {
  accountId: string;
  campaignId: string;
  initial: CampaignLive;
  children: ReactNode;
}) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const q = useQuery({
    queryKey: ["campaign-live", campaignId],
    queryFn: async () => {
      const r = await fetch(`/${accountId}/campaigns/${campaignId}/progress`, { cache: "no-store" });
      if (!r.ok) throw new Error(String(r.status));
      return (await r.json()) as CampaignLive;
    },
    initialData: initial,
    refetchInterval: (query) => (!query.state.data || isLive(query.state.data) ? 1500 : false),
  });
  // A server refresh (after a delete, a status refresh or a state change) brings newer data than the last poll.
  useEffect(() => {
    queryClient.setQueryData(["campaign-live", campaignId], initial);
  }, [queryClient, campaignId, initial]);
  // A new state changes what the rest of the page offers (send, approve, delete): render it again.
  const state = q.data.state;
  const lastState = useRef(state);
  useEffect(() => {
    if (lastState.current !== state) {
      lastState.current = state;
      router.refresh();
    }
  }, [state, router]);
  return <LiveContext.Provider value={q.data}>{children}</LiveContext.Provider>;
}

/** The campaign's live read model, inside CampaignLiveProvider. */
export function useCampaignLive(): CampaignLive {
  const live = useContext(LiveContext);
  if (!live) throw new Error("useCampaignLive needs a CampaignLiveProvider");
  return live;
}
