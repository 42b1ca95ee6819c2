"use client";
import { useLayoutEffect, useRef } from "react";

/**
 * The look of WeChat's article body, inside the shadow root: the console's stylesheet does not
 * reach in (an article's "fixed inset-0" means nothing there) and the article's markup cannot
 * style the console.
 */
const ARTICLE_CSS = `
:host { display: block; contain: paint; isolation: isolate; overflow: hidden; }
.content { font-size: 15px; line-height: 1.625; overflow-wrap: anywhere; color: #0f172a; }
.content img { max-width: 100%; height: auto; }
.content p { margin: 0.5rem 0; }
.content h2 { font-size: 1.125rem; font-weight: 600; }
.content h3 { font-weight: 600; }
.content blockquote { border-left: 4px solid #cbd5e1; padding-left: 0.75rem; margin-left: 0; }
.content ol { list-style: decimal; padding-left: 1.25rem; }
.content ul { list-style: disc; padding-left: 1.25rem; }
.content a { color: #576b95; }
`;

/**
 * An article's (already sanitized) HTML shown in the console, isolated from the console's page: in
 * a shadow root, so class names and ids in it mean nothing to the page around it, and in a box
 * that contains its own painting (`contain: paint` makes it the containing block of anything
 * positioned "fixed", and clips whatever a transform or a negative margin pushes out), so a saved
 * draft cannot lay anything over the console for the colleagues who open it.
 */
export function IsolatedArticle({ html, className, testId }: { html: string; className?: string; testId?: string }) {
  const host = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const el = host.current;
    if (!el) return;
    const root = el.shadowRoot ?? el.attachShadow({ mode: "open" });
    const style = document.createElement("style");
    style.textContent = ARTICLE_CSS;
    const content = document.createElement("div");
    content.className = "content";
    if (testId) content.dataset.testid = testId;
    content.innerHTML = html;
    root.replaceChildren(style, content);
  }, [html, testId]);
  return <div ref={host} className={className} style={{ contain: "paint", isolation: "isolate", overflow: "hidden" }} />;
}
