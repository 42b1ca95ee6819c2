"use client";
import { useSyncExternalStore } from "react";

const noSubscription = () => () => {};

/**
 * False in the server's HTML and while hydrating, true from the first client render on (and at
 * once for anything mounted later, e.g. after a client-side navigation).
 *
 * A control changed in the server-rendered page before hydration is not kept: React keeps the
 * browser's value in the element but not in state (a controlled field shows one value and saves
 * another: the approval comment was stored empty, the sent message's "delete article 2" confirmed
 * as "delete all"), react-hook-form writes its defaults back over it, and a change handler that
 * saves (the user's role) never ran. Controls that can lose input stay disabled until this is true.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
}
