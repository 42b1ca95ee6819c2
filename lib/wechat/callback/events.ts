/** Typed pushes. MASSSENDJOBFINISH in full; everything else as a generic event or message. */
export interface CopyrightItem {
  ArticleIdx: number;
  UserDeclareState: number;
  AuditState: number;
  OriginalArticleUrl: string;
  OriginalArticleType: number;
  CanReprint: number;
  NeedReplaceContent: number;
  NeedShowReprintSource: number;
}

export interface MassSendJobFinishEvent {
  kind: "MASSSENDJOBFINISH";
  ToUserName: string;
  FromUserName: string;
  CreateTime: number;
  /** The tag is `MsgID` (WxJava#2763 mapped only `MsgId`); both are read. Kept as a string. */
  MsgID: string;
  Status: string;
  TotalCount: number;
  FilterCount: number;
  SentCount: number;
  ErrorCount: number;
  CopyrightCheckResult: { Count: number; ResultList: CopyrightItem[]; CheckState: number } | null;
  ArticleUrlResult: { Count: number; ResultList: { ArticleIdx: number; ArticleUrl: string }[] } | null;
  raw: Record<string, unknown>;
}

export interface GenericPush {
  kind: "event" | "message";
  ToUserName: string;
  FromUserName: string;
  CreateTime: number;
  MsgType: string;
  Event: string | null;
  MsgId: string | null;
  raw: Record<string, unknown>;
}

export type CallbackPush = MassSendJobFinishEvent | GenericPush;

const str = (v: unknown) => (v === undefined || v === null ? "" : typeof v === "object" ? "" : String(v));
const num = (v: unknown) => {
  const n = Number(str(v));
  return Number.isFinite(n) ? n : 0;
};
const items = (v: unknown): Record<string, unknown>[] => {
  const list = (v as { item?: unknown } | undefined)?.item;
  if (!list) return [];
  return (Array.isArray(list) ? list : [list]) as Record<string, unknown>[];
};

export function toPush(raw: Record<string, unknown>): CallbackPush {
  const base = { ToUserName: str(raw.ToUserName), FromUserName: str(raw.FromUserName), CreateTime: num(raw.CreateTime) };
  const msgType = str(raw.MsgType);
  const event = str(raw.Event);
  if (msgType === "event" && event.toUpperCase() === "MASSSENDJOBFINISH") {
    const cr = raw.CopyrightCheckResult as Record<string, unknown> | undefined;
    const ar = raw.ArticleUrlResult as Record<string, unknown> | undefined;
    return {
      kind: "MASSSENDJOBFINISH",
      ...base,
      MsgID: str(raw.MsgID ?? raw.MsgId),
      Status: str(raw.Status),
      TotalCount: num(raw.TotalCount),
      FilterCount: num(raw.FilterCount),
      SentCount: num(raw.SentCount),
      ErrorCount: num(raw.ErrorCount),
      CopyrightCheckResult: cr
        ? {
            Count: num(cr.Count),
            CheckState: num(cr.CheckState),
            ResultList: items(cr.ResultList).map((i) => ({
              ArticleIdx: num(i.ArticleIdx),
              UserDeclareState: num(i.UserDeclareState),
              AuditState: num(i.AuditState),
              OriginalArticleUrl: str(i.OriginalArticleUrl),
              OriginalArticleType: num(i.OriginalArticleType),
              CanReprint: num(i.CanReprint),
              NeedReplaceContent: num(i.NeedReplaceContent),
              NeedShowReprintSource: num(i.NeedShowReprintSource),
            })),
          }
        : null,
      ArticleUrlResult: ar
        ? { Count: num(ar.Count), ResultList: items(ar.ResultList).map((i) => ({ ArticleIdx: num(i.ArticleIdx), ArticleUrl: str(i.ArticleUrl) })) }
        : null,
      raw,
    };
  }
  return { kind: msgType === "event" ? "event" : "message", ...base, MsgType: msgType, Event: event || null, MsgId: str(raw.MsgId) || null, raw };
}

/**
 * The key that makes WeChat's retries (and a second instance) collapse into one record:
 * MASSSENDJOBFINISH by MsgID, messages by MsgId, other events by FromUserName + CreateTime.
 */
export function dedupeKey(p: CallbackPush): string {
  if (p.kind === "MASSSENDJOBFINISH") return `mass:${p.MsgID}`;
  if (p.MsgId) return `msg:${p.MsgId}`;
  return `evt:${p.FromUserName}:${p.CreateTime}:${p.Event ?? p.MsgType}`;
}
