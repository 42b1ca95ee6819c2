"use client";
import { useEffect, useSyncExternalStore } from "react";
import { onFirstInteraction } from "./first-interaction";

type Sonner = typeof import("sonner");
type Message = Parameters<Sonner["toast"]["success"]>[0];

/**
 * Toasts (sonner, ~16 KB gzip) are not part of any page's first load: sonner is fetched the first
 * time the person presses a key or a pointer anywhere, and its `Toaster` (the live region that
 * announces toasts) is mounted then, before the action that ends in a toast has answered. A toast
 * asked for before that (nothing does today) fetches sonner itself; sonner's `Toaster` shows on
 * mounting the toasts created before it subscribed. Every toast goes through `toast` below.
 */
let sonner: Sonner | null = null;
let loading: Promise<Sonner> | null = null;
const listeners = new Set<() => void>();

function load(): Promise<Sonner> {
  loading ??= import("sonner").then(
    (m) => {
      sonner = m;
      for (const l of listeners) l();
      return m;
    },
    (e: unknown) => {
      loading = null; // a chunk that failed to arrive is asked for again next time
      throw e;
    },
  );
  return loading;
}

function show(kind: "success" | "error", message: Message) {
  load().then(
    (m) => m.toast[kind](message),
    (e: unknown) => console.error("[qunfa] toast not shown", e),
  );
}

export const toast = {
  success: (message: Message) => show("success", message),
  error: (message: Message) => show("error", message),
};

function subscribe(l: () => void) {
  listeners.add(l);
  return () => void listeners.delete(l);
}

/** Where toasts appear (top centre, with a close button); rendered once, in the root providers. */
export function Toasts() {
  const s = useSyncExternalStore(
    subscribe,
    () => sonner,
    () => null,
  );
  useEffect(() => (sonner ? undefined : onFirstInteraction(() => void load().catch(() => {}))), []);
  if (!s) return null;
  return <s.Toaster position="top-center" closeButton toastOptions={{ classNames: { toast: "!text-slate-900 !bg-white !border-slate-300" } }} />;
}
