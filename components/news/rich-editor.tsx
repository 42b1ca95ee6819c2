"use client";
import { useTranslations } from "next-intl";
import { useEffect, useRef, useState } from "react";
import { EditorContent, useEditor, type Editor } from "@tiptap/react";
import StarterKit from "@tiptap/starter-kit";
import { NodeSelection, TextSelection } from "@tiptap/pm/state";
import { Slice } from "@tiptap/pm/model";
import { TableKit } from "@tiptap/extension-table";
import Image from "@tiptap/extension-image";
import { Bold, Code2, Heading2, Heading3, ImagePlus, Italic, Link2, List, ListOrdered, Quote, Redo2, Strikethrough, Underline, Undo2 } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Input, Textarea } from "@/components/ui/input";
import { Label } from "@/components/ui/field";
import { cn } from "@/lib/utils";
import { InlineStyles, StyledSpan } from "./tiptap-extensions";

/** Pictures carry alt="" unless given one, so the editor stays accessible. */
const ArticleImage = Image.extend({
  addAttributes() {
    return { ...this.parent?.(), alt: { default: "", parseHTML: (el: HTMLElement) => el.getAttribute("alt") ?? "" } };
  },
});

/**
 * Puts the cursor just after a picture the editor has just inserted. Inserting a block node leaves
 * it selected as a node, and the next keystroke replaced the picture; after it there is a paragraph
 * to type into (a new one when the picture ends the article).
 */
function cursorAfterImage(editor: Editor) {
  editor
    .chain()
    .command(({ tr, state }) => {
      const sel = tr.selection;
      if (!(sel instanceof NodeSelection) || sel.node.type.name !== "image") return true;
      const after = sel.to;
      const next = tr.doc.resolve(after).nodeAfter;
      if (!next || !next.isTextblock) tr.insert(after, state.schema.nodes.paragraph.create());
      tr.setSelection(TextSelection.create(tr.doc, after + 1)).scrollIntoView();
      return true;
    })
    .focus()
    .run();
}

export interface RichEditorProps {
  id: string;
  label: string;
  describedBy?: string;
  invalid?: boolean;
  value: string;
  disabled?: boolean;
  onChange: (html: string) => void;
  /** Uploads a pasted or dropped picture (media/uploadimg) and resolves to its WeChat URL. */
  uploadImage: (file: File) => Promise<string | null>;
}

/**
 * The article body: tiptap producing plain HTML with inline styles. Pictures pasted or dropped in
 * are uploaded at once and inserted with their WeChat URL; a picture given by link is kept and
 * uploaded when the news goes to WeChat. "HTML" shows the source for pasting from other editors.
 */
export function RichEditor(p: RichEditorProps) {
  const t = useTranslations("news");
  const [source, setSource] = useState(false);
  const [uploading, setUploading] = useState(0);
  const [ask, setAsk] = useState<null | "link" | "image">(null);
  const [askValue, setAskValue] = useState("");
  const fileRef = useRef<HTMLInputElement>(null);
  const last = useRef(p.value);
  const upload = useRef(p.uploadImage);
  const onChange = useRef(p.onChange);
  const editorRef = useRef<Editor | null>(null);
  useEffect(() => {
    upload.current = p.uploadImage;
    onChange.current = p.onChange;
  }, [p.uploadImage, p.onChange]);

  const insertFiles = async (editor: Editor, files: File[], pos?: number) => {
    for (const f of files.filter((x) => x.type.startsWith("image/"))) {
      setUploading((n) => n + 1);
      try {
        const url = await upload.current(f);
        if (url) {
          const chain = editor.chain().focus();
          (pos !== undefined ? chain.insertContentAt(pos, { type: "image", attrs: { src: url, alt: "" } }) : chain.setImage({ src: url, alt: "" })).run();
          cursorAfterImage(editor);
        }
      } finally {
        setUploading((n) => n - 1);
      }
    }
  };

  const editor = useEditor({
    immediatelyRender: false,
    editable: !p.disabled,
    extensions: [
      StarterKit.configure({ link: { openOnClick: false, autolink: true } }),
      ArticleImage.configure({ allowBase64: true }),
      // Tables pasted from Word, 135 or 秀米 stay tables (WeChat's articles show them); without the
      // extension they became lines of text. No resizing handles: widths come from the pasted styles.
      TableKit.configure({ table: { resizable: false } }),
      InlineStyles,
      StyledSpan,
    ],
    content: p.value,
    editorProps: {
      attributes: {
        id: p.id,
        role: "textbox",
        "aria-multiline": "true",
        "aria-label": p.label,
        ...(p.describedBy ? { "aria-describedby": p.describedBy } : {}),
        ...(p.invalid ? { "aria-invalid": "true" } : {}),
        class:
          "min-h-64 [&_blockquote]:border-l-4 [&_blockquote]:border-slate-300 [&_blockquote]:pl-3 [&_h2]:text-lg [&_h2]:font-semibold [&_h3]:font-semibold [&_img]:max-w-full [&_img]:my-2 [&_a]:text-emerald-800 [&_a]:underline [&_ol]:list-decimal [&_ol]:pl-5 [&_p]:my-1 [&_ul]:list-disc [&_ul]:pl-5 [&_table]:my-2 [&_table]:border-collapse [&_td]:border [&_td]:border-slate-300 [&_td]:px-2 [&_td]:py-1 [&_th]:border [&_th]:border-slate-300 [&_th]:px-2 [&_th]:py-1 [&_th]:bg-slate-50 rounded-b-md border border-t-0 border-slate-400 bg-white px-3 py-2 text-sm focus-visible:outline focus-visible:outline-2 focus-visible:outline-emerald-600",
        "data-testid": "content-editor",
      },
      // A pasted heading, list, quote or table stays what it was. ProseMirror opens a pasted
      // slice at both ends, so a single pasted <h2> merged into the paragraph under the cursor and
      // became plain text; a slice of blocks is closed, so its blocks arrive whole (the paragraph
      // under the cursor is split around them). Pasted words inside one paragraph still join the
      // line they are pasted into.
      transformPasted: (slice) => {
        // Only where every top-level node may stand in the article on its own (a copied list item
        // or table row may not: ProseMirror fits those itself).
        let special = false;
        let whole = true;
        slice.content.forEach((node) => {
          if (!(node.type.spec.group ?? "").split(" ").includes("block")) whole = false;
          else if (node.type.name !== "paragraph") special = true;
        });
        return special && whole && (slice.openStart > 0 || slice.openEnd > 0) ? new Slice(slice.content, 0, 0) : slice;
      },
      handlePaste: (view, event) => {
        const files = Array.from(event.clipboardData?.files ?? []).filter((f) => f.type.startsWith("image/"));
        if (files.length === 0 || !editorRef.current) return false;
        event.preventDefault();
        void insertFiles(editorRef.current, files);
        return true;
      },
      handleDrop: (view, event) => {
        const files = Array.from(event.dataTransfer?.files ?? []).filter((f) => f.type.startsWith("image/"));
        if (files.length === 0 || !editorRef.current) return false;
        event.preventDefault();
        const at = view.posAtCoords({ left: event.clientX, top: event.clientY })?.pos;
        void insertFiles(editorRef.current, files, at);
        return true;
      },
    },
    onUpdate: ({ editor }) => {
      const html = editor.getHTML();
      last.current = html;
      onChange.current(html);
    },
  });
  useEffect(() => {
    editorRef.current = editor;
  }, [editor]);

  // A value from outside (restored copy, the version after upload, the HTML box) replaces the content.
  useEffect(() => {
    if (!editor || source) return;
    if (p.value !== last.current) {
      last.current = p.value;
      editor.commands.setContent(p.value, { emitUpdate: false });
    }
  }, [editor, p.value, source]);
  useEffect(() => {
    // Without emitting an update: tiptap's default emits one, which wrote the empty body of a new
    // article back as a change and showed it as wrong before anyone had typed.
    editor?.setEditable(!p.disabled, false);
  }, [editor, p.disabled]);

  const tool = (label: string, Icon: React.ComponentType<{ className?: string }>, run: () => void, active = false) => (
    <Button
      type="button"
      variant="ghost"
      size="sm"
      className={cn("h-8 w-8 px-0", active && "bg-slate-200")}
      aria-label={label}
      title={label}
      aria-pressed={active}
      onClick={run}
      disabled={p.disabled || source || !editor}
    >
      <Icon className="h-4 w-4" />
    </Button>
  );
  const submitAsk = () => {
    const v = askValue.trim();
    if (editor && v) {
      if (ask === "link") editor.chain().focus().extendMarkRange("link").setLink({ href: v }).run();
      if (ask === "image") {
        editor.chain().focus().setImage({ src: v, alt: "" }).run();
        cursorAfterImage(editor);
      }
    }
    setAsk(null);
    setAskValue("");
  };

  return (
    <div>
      <div role="toolbar" aria-label={t("toolbar")} className="flex flex-wrap items-center gap-0.5 rounded-t-md border border-slate-400 bg-slate-50 px-1 py-1">
        {tool(t("tool.bold"), Bold, () => editor?.chain().focus().toggleBold().run(), editor?.isActive("bold"))}
        {tool(t("tool.italic"), Italic, () => editor?.chain().focus().toggleItalic().run(), editor?.isActive("italic"))}
        {tool(t("tool.underline"), Underline, () => editor?.chain().focus().toggleUnderline().run(), editor?.isActive("underline"))}
        {tool(t("tool.strike"), Strikethrough, () => editor?.chain().focus().toggleStrike().run(), editor?.isActive("strike"))}
        {tool(t("tool.h2"), Heading2, () => editor?.chain().focus().toggleHeading({ level: 2 }).run(), editor?.isActive("heading", { level: 2 }))}
        {tool(t("tool.h3"), Heading3, () => editor?.chain().focus().toggleHeading({ level: 3 }).run(), editor?.isActive("heading", { level: 3 }))}
        {tool(t("tool.bullet"), List, () => editor?.chain().focus().toggleBulletList().run(), editor?.isActive("bulletList"))}
        {tool(t("tool.ordered"), ListOrdered, () => editor?.chain().focus().toggleOrderedList().run(), editor?.isActive("orderedList"))}
        {tool(t("tool.quote"), Quote, () => editor?.chain().focus().toggleBlockquote().run(), editor?.isActive("blockquote"))}
        {tool(t("tool.link"), Link2, () => setAsk("link"), editor?.isActive("link"))}
        {tool(t("tool.imageUrl"), ImagePlus, () => setAsk("image"))}
        <Button type="button" variant="ghost" size="sm" onClick={() => fileRef.current?.click()} disabled={p.disabled || source || !editor}>
          {t("tool.imageFile")}
        </Button>
        <input
          ref={fileRef}
          type="file"
          accept="image/*"
          multiple
          className="sr-only"
          tabIndex={-1}
          aria-label={t("tool.imageFile")}
          onChange={(e) => {
            if (editor) void insertFiles(editor, Array.from(e.target.files ?? []));
            e.target.value = "";
          }}
        />
        {tool(t("tool.undo"), Undo2, () => editor?.chain().focus().undo().run())}
        {tool(t("tool.redo"), Redo2, () => editor?.chain().focus().redo().run())}
        <span className="ml-auto" />
        <Button type="button" variant={source ? "default" : "ghost"} size="sm" aria-pressed={source} onClick={() => setSource((s) => !s)} disabled={p.disabled}>
          <Code2 className="h-4 w-4" aria-hidden />
          {t("tool.html")}
        </Button>
      </div>
      {ask && (
        <div className="flex items-end gap-2 border border-t-0 border-slate-400 bg-slate-50 p-2">
          <div className="flex-1 space-y-1">
            <Label htmlFor={`${p.id}-ask`}>{ask === "link" ? t("tool.linkUrl") : t("tool.imageUrlLabel")}</Label>
            <Input
              id={`${p.id}-ask`}
              autoFocus
              value={askValue}
              onChange={(e) => setAskValue(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === "Enter") {
                  e.preventDefault();
                  submitAsk();
                }
                if (e.key === "Escape") setAsk(null);
              }}
              placeholder="https://"
            />
          </div>
          <Button type="button" size="sm" onClick={submitAsk}>
            {t("tool.insert")}
          </Button>
          <Button type="button" size="sm" variant="secondary" onClick={() => setAsk(null)}>
            {t("cancel")}
          </Button>
        </div>
      )}
      {source ? (
        <Textarea
          id={`${p.id}-html`}
          aria-label={t("htmlSource")}
          className="min-h-64 rounded-t-none font-mono text-xs"
          value={p.value}
          disabled={p.disabled}
          onChange={(e) => {
            last.current = "";
            p.onChange(e.target.value);
          }}
          data-testid="content-html"
        />
      ) : (
        <EditorContent editor={editor} />
      )}
      {uploading > 0 && (
        <p role="status" className="mt-1 text-xs text-slate-700">
          {t("uploadingImages", { n: uploading })}
        </p>
      )}
    </div>
  );
}
