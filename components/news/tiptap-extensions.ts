"use client";
import { Extension, Mark, mergeAttributes } from "@tiptap/core";

/**
 * WeChat articles are styled with inline `style` attributes (there is no stylesheet). Keep them on
 * the blocks and images tiptap knows, so pasted formatting survives editing.
 */
export const InlineStyles = Extension.create({
  name: "inlineStyles",
  addGlobalAttributes() {
    return [
      {
        types: ["paragraph", "heading", "blockquote", "image", "bulletList", "orderedList", "listItem", "table", "tableRow", "tableCell", "tableHeader"],
        attributes: {
          style: {
            default: null,
            parseHTML: (el) => el.getAttribute("style"),
            renderHTML: (attrs) => (attrs.style ? { style: attrs.style } : {}),
          },
        },
      },
    ];
  },
});

/** <span style="…"> (colours, sizes) as a mark, so styled runs of text are not flattened. */
export const StyledSpan = Mark.create({
  name: "styledSpan",
  addAttributes() {
    return { style: { default: null, parseHTML: (el) => el.getAttribute("style"), renderHTML: (a) => (a.style ? { style: a.style } : {}) } };
  },
  parseHTML() {
    return [{ tag: "span[style]" }];
  },
  renderHTML({ HTMLAttributes }) {
    return ["span", mergeAttributes(HTMLAttributes), 0];
  },
});
