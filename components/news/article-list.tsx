"use client";
import { useTranslations } from "next-intl";
import { closestCenter, DndContext, KeyboardSensor, PointerSensor, useSensor, useSensors, type Announcements, type DragEndEvent } from "@dnd-kit/core";
import { SortableContext, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from "@dnd-kit/sortable";
import { CSS } from "@dnd-kit/utilities";
import { ArrowDown, ArrowUp, GripVertical, Trash2 } from "lucide-react";
import { Button } from "@/components/ui/button";
import { cn } from "@/lib/utils";
import { LIMIT_VALUES } from "@/lib/news/limits";

export interface ListArticle {
  key: string;
  title: string;
  coverUrl: string | null;
  invalid: boolean;
}

/**
 * The draft's articles in order. Reorder by dragging the handle (mouse or touch), by keyboard
 * (focus the handle, Space, arrows, Space) or with the up/down buttons.
 */
export function ArticleList({
  articles,
  activeKey,
  disabled,
  onSelect,
  onMove,
  onRemove,
}: {
  articles: ListArticle[];
  activeKey: string;
  disabled?: boolean;
  onSelect: (key: string) => void;
  onMove: (from: number, to: number) => void;
  onRemove: (index: number) => void;
}) {
  const t = useTranslations("news");
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  const pos = (id: string | number) => articles.findIndex((a) => a.key === id) + 1;
  const name = (id: string | number) => articles.find((a) => a.key === id)?.title || t("untitled");
  const announcements: Announcements = {
    onDragStart: ({ active }) => t("dnd.start", { title: name(active.id), pos: pos(active.id) }),
    onDragOver: ({ active, over }) => (over ? t("dnd.over", { title: name(active.id), pos: pos(over.id) }) : t("dnd.outside")),
    onDragEnd: ({ active, over }) => (over ? t("dnd.end", { title: name(active.id), pos: pos(over.id) }) : t("dnd.cancel")),
    onDragCancel: ({ active }) => t("dnd.cancel", { title: name(active.id) }),
  };
  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (!over || active.id === over.id) return;
    onMove(pos(active.id) - 1, pos(over.id) - 1);
  };
  return (
    <DndContext
      sensors={sensors}
      collisionDetection={closestCenter}
      onDragEnd={onDragEnd}
      accessibility={{ announcements, screenReaderInstructions: { draggable: t("dnd.instructions") } }}
    >
      <SortableContext items={articles.map((a) => a.key)} strategy={verticalListSortingStrategy}>
        <ol className="space-y-2" aria-label={t("articles")} data-testid="article-list">
          {articles.map((a, i) => (
            <SortableArticle
              key={a.key}
              a={a}
              index={i}
              count={articles.length}
              active={a.key === activeKey}
              disabled={disabled}
              onSelect={() => onSelect(a.key)}
              onUp={() => onMove(i, i - 1)}
              onDown={() => onMove(i, i + 1)}
              onRemove={() => onRemove(i)}
            />
          ))}
        </ol>
      </SortableContext>
    </DndContext>
  );
}

function SortableArticle({
  a,
  index,
  count,
  active,
  disabled,
  onSelect,
  onUp,
  onDown,
  onRemove,
}: {
  a: ListArticle;
  index: number;
  count: number;
  active: boolean;
  disabled?: boolean;
  onSelect: () => void;
  onUp: () => void;
  onDown: () => void;
  onRemove: () => void;
}) {
  const t = useTranslations("news");
  const { attributes, listeners, setNodeRef, transform, transition, isDragging } = useSortable({ id: a.key, disabled });
  const title = a.title || t("untitled");
  return (
    <li
      ref={setNodeRef}
      style={{ transform: CSS.Transform.toString(transform), transition }}
      className={cn(
        "flex items-center gap-1 rounded-md border bg-white p-1.5",
        active ? "border-emerald-600 ring-1 ring-emerald-600" : "border-slate-200",
        isDragging && "z-10 shadow-lg",
      )}
      data-testid="article-item"
    >
      <button
        type="button"
        {...attributes}
        {...listeners}
        aria-label={t("dragHandle", { n: index + 1, title })}
        className="flex h-8 w-6 flex-none cursor-grab items-center justify-center rounded text-slate-600 focus-visible:outline focus-visible:outline-2 focus-visible:outline-emerald-600"
        disabled={disabled}
      >
        <GripVertical aria-hidden className="h-4 w-4" />
      </button>
      <button
        type="button"
        onClick={onSelect}
        aria-current={active ? "true" : undefined}
        className="flex min-w-0 flex-1 items-center gap-2 rounded px-1 py-1 text-left text-sm focus-visible:outline focus-visible:outline-2 focus-visible:outline-emerald-600"
      >
        <span className="flex-none text-xs text-slate-600">{index + 1}</span>
        {a.coverUrl ? (
          // eslint-disable-next-line @next/next/no-img-element
          <img src={a.coverUrl} alt="" className="h-8 w-8 flex-none rounded object-cover" />
        ) : (
          <span className="h-8 w-8 flex-none rounded bg-slate-200" aria-hidden />
        )}
        <span className="truncate" data-testid="article-title">
          {title}
        </span>
        {a.invalid && (
          <span className="ml-auto flex-none text-xs font-medium text-red-700" aria-label={t("hasProblems")}>
            !
          </span>
        )}
      </button>
      <div className="flex flex-none flex-col">
        <Button
          type="button"
          variant="ghost"
          size="sm"
          className="h-4 w-6 px-0"
          onClick={onUp}
          disabled={disabled || index === 0}
          aria-label={t("moveUp", { n: index + 1 })}
        >
          <ArrowUp aria-hidden className="h-3 w-3" />
        </Button>
        <Button
          type="button"
          variant="ghost"
          size="sm"
          className="h-4 w-6 px-0"
          onClick={onDown}
          disabled={disabled || index === count - 1}
          aria-label={t("moveDown", { n: index + 1 })}
        >
          <ArrowDown aria-hidden className="h-3 w-3" />
        </Button>
      </div>
      <Button
        type="button"
        variant="ghost"
        size="sm"
        className="h-8 w-8 flex-none px-0"
        onClick={onRemove}
        disabled={disabled || count <= 1}
        aria-label={t("removeArticle", { n: index + 1 })}
        title={count <= 1 ? t("rule.articlesMin", LIMIT_VALUES) : undefined}
      >
        <Trash2 aria-hidden className="h-4 w-4" />
      </Button>
    </li>
  );
}
