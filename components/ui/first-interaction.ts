/**
 * Runs `fn` once, at the person's first key or pointer press anywhere on the page: the moment to
 * fetch what only an interaction can need (toasts, a form's validation), so that it is there
 * before the interaction has an outcome, without being part of the page's first load.
 * Returns the clean-up (for an effect).
 */
export function onFirstInteraction(fn: () => void): () => void {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    off();
    fn();
  };
  const opts = { capture: true, passive: true } as const;
  const off = () => {
    window.removeEventListener("pointerdown", once, opts);
    window.removeEventListener("keydown", once, opts);
  };
  window.addEventListener("pointerdown", once, opts);
  window.addEventListener("keydown", once, opts);
  return off;
}
