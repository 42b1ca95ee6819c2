/**
 * WeChat's errcodes: meaning and what to do, in zh-CN and English, and how a caller should react.
 * Sources: WeChat's 「高级群发接口」, WeChat's global return-code page, WxJava WxMpErrorMsgEnum/WxOpenErrorMsgEnum,
 * and the errcodes seen in answers to the mass-send interfaces.
 */
export type RetryClass = "refresh-token" | "wait-and-retry" | "retry-same-request" | "never";
export type Lang = "zh-CN" | "en";

export interface ErrcodeInfo {
  retry: RetryClass;
  zh: string;
  en: string;
  zhAction: string;
  enAction: string;
}

const e = (retry: RetryClass, zh: string, en: string, zhAction: string, enAction: string): ErrcodeInfo => ({ retry, zh, en, zhAction, enAction });

export const ERRCODES: Record<number, ErrcodeInfo> = {
  [-1]: e("retry-same-request", "系统繁忙", "WeChat system busy", "稍后用同一 clientmsgid 重试。", "Retry later with the same clientmsgid."),
  40001: e(
    "refresh-token",
    "access_token 无效或不是最新",
    "Invalid credential: access_token is invalid or not the latest",
    "重新获取 access_token 后重试；若反复出现，检查 AppSecret 是否被重置或有其他系统在刷新令牌。",
    "Fetch a new access_token and retry; if it repeats, check whether the AppSecret was reset or another system refreshes the token.",
  ),
  40003: e(
    "never",
    "不合法的 OpenID",
    "Invalid OpenID",
    "检查 OpenID 是否属于该公众号、是否为 28 位。",
    "Check that the OpenID belongs to this account and has 28 characters.",
  ),
  40004: e(
    "never",
    "不合法的媒体文件类型",
    "Invalid media type",
    "按类型上传：图片 jpg/png/gif，语音 amr/mp3，视频 mp4，缩略图 jpg。",
    "Upload by type: image jpg/png/gif, voice amr/mp3, video mp4, thumb jpg.",
  ),
  40006: e(
    "never",
    "不合法的文件大小",
    "Invalid media size",
    "图片 ≤ 10MB，语音 ≤ 2MB，视频 ≤ 10MB，缩略图 ≤ 64KB。",
    "Image ≤ 10 MB, voice ≤ 2 MB, video ≤ 10 MB, thumb ≤ 64 KB.",
  ),
  40007: e(
    "never",
    "不合法的 media_id",
    "Invalid media_id",
    "素材可能已过期（临时素材 3 天）或不属于该公众号，请重新上传。",
    "The media may have expired (temporary media last 3 days) or belong to another account; upload it again.",
  ),
  40008: e("never", "不合法的消息类型", "Invalid message type", "视频应使用 mpvideo，图文应使用 mpnews。", "Video must be sent as mpvideo and news as mpnews."),
  40013: e("never", "不合法的 AppID", "Invalid AppID", "检查 AppID 是否正确。", "Check the AppID."),
  40014: e("refresh-token", "不合法的 access_token", "Invalid access_token", "重新获取 access_token 后重试。", "Fetch a new access_token and retry."),
  40032: e("never", "OpenID 列表长度不合法", "Invalid OpenID list length", "每次请求 2 至 10000 个 OpenID。", "Send 2 to 10 000 OpenIDs per request."),
  40059: e("never", "不合法的消息 ID", "Invalid msg_id", "检查 msg_id 是否属于该公众号的群发。", "Check that the msg_id is one of this account's mass sends."),
  40060: e(
    "never",
    "删除的文章序号不合法",
    "Invalid article_idx",
    "article_idx 从 1 开始，不超过图文条数；0 表示删除全部。",
    "article_idx starts at 1 and is at most the number of articles; 0 deletes all.",
  ),
  40125: e("never", "不合法的 AppSecret", "Invalid AppSecret", "检查 AppSecret 是否正确、是否已被重置。", "Check the AppSecret and whether it was reset."),
  40130: e(
    "never",
    "OpenID 列表至少需要两个",
    "Invalid OpenID list size: at least two OpenIDs",
    "按 OpenID 群发至少需要 2 个 OpenID。",
    "Sending by OpenID list needs at least 2 OpenIDs.",
  ),
  40132: e("never", "微信号不合法", "Invalid WeChat ID", "检查个人资料中的微信号。", "Check the WeChat ID in your profile."),
  40164: e(
    "never",
    "调用接口的 IP 地址不在白名单中",
    "The calling IP address is not on the IP whitelist",
    "在公众平台「设置与开发 → 基本配置 → IP 白名单」中加入本服务器的出口 IP。",
    "Add this server's outgoing IP address to the platform's Settings and Development → Basic configuration → IP whitelist.",
  ),
  41001: e("refresh-token", "缺少 access_token 参数", "Missing access_token", "重新获取 access_token 后重试。", "Fetch an access_token and retry."),
  42001: e("refresh-token", "access_token 超时", "access_token expired", "重新获取 access_token 后重试。", "Fetch a new access_token and retry."),
  43004: e("never", "需要接收者关注", "The recipient does not follow the account", "该用户未关注公众号。", "This user does not follow the account."),
  44003: e("never", "图文消息内容为空", "Empty news message", "至少需要一篇文章。", "At least one article is needed."),
  45002: e("never", "消息内容超过限制", "Content too large", "正文少于 2 万字且小于 1MB。", "Keep content under 20 000 characters and 1 MB."),
  45008: e("never", "图文消息超过限制", "Too many articles", "一条图文消息最多 8 篇文章。", "A news message has at most 8 articles."),
  45009: e("wait-and-retry", "接口调用超过限制", "API daily quota reached", "今日调用次数已用完，明天再试。", "Today's calls are used up; try tomorrow."),
  45011: e(
    "wait-and-retry",
    "接口调用太频繁",
    "API minute-quota reached",
    "每分钟最多 60 次群发请求，稍等再试。",
    "At most 60 mass requests a minute; wait and retry.",
  ),
  45028: e(
    "never",
    "没有群发配额",
    "No mass-send quota left",
    "订阅号每天 1 次，服务号每月 4 次（含官网群发）；等配额恢复。",
    "Subscription accounts: 1 a day; service accounts: 4 a month (web backend included); wait for the quota.",
  ),
  45052: e(
    "never",
    "群发使用了不支持的消息类型",
    "Mass send uses an invalid message type",
    "只能删除图文和视频；检查消息类型。",
    "Only news and video can be deleted; check the message type.",
  ),
  45062: e(
    "never",
    "账号有广告主合同，不能使用此接口",
    "The account has an ads contract and cannot use this API",
    "联系微信处理广告主合同。",
    "Contact WeChat about the ads contract.",
  ),
  45065: e(
    "never",
    "相同 clientmsgid 已存在群发记录",
    "clientmsgid exists: already submitted",
    "无需重发：这条群发已提交，使用返回的 msg_id。",
    "No need to resend: this send was already submitted; use the returned msg_id.",
  ),
  45066: e("wait-and-retry", "相同 clientmsgid 重试速度过快", "Same clientmsgid retried too fast", "等待 1 分钟后重试。", "Wait one minute, then retry."),
  45067: e("never", "clientmsgid 长度超过限制", "clientmsgid too long", "clientmsgid 最多 64 字节。", "A clientmsgid has at most 64 bytes."),
  45083: e("never", "群发速度超过范围", "Mass-send speed out of range", "速度取 0 至 4。", "Speed is 0 to 4."),
  45084: e("never", "没有设置群发速度", "No mass-send speed given", "请指定速度 0 至 4。", "Give a speed from 0 to 4."),
  45085: e("retry-same-request", "群发速度服务器错误", "Mass-send speed server error", "稍后重试。", "Retry later."),
  45159: e("never", "不合法的标签 ID", "Invalid tag id", "刷新标签列表后重新选择。", "Refresh the tag list and choose again."),
  48001: e(
    "never",
    "接口未授权",
    "API unauthorized",
    "该公众号类型或认证状态不能使用此接口（按 OpenID 群发仅限认证服务号）。",
    "This account's type or verification cannot use this API (sending by OpenID list is for verified service accounts).",
  ),
  48003: e(
    "never",
    "未同意群发协议",
    "Mass-send protocol not accepted",
    "在公众平台「群发功能」页面同意群发协议。",
    "Accept the mass-send protocol on the platform's mass-send page.",
  ),
};

/** MASSSENDJOBFINISH `Status`: "send success", "send fail" or err(N) from review and originality checks. */
export const JOB_STATUS: Record<string, { zh: string; en: string }> = {
  "err(10001)": { zh: "涉嫌广告", en: "Suspected advertising" },
  "err(20001)": { zh: "涉嫌政治", en: "Suspected political content" },
  "err(20002)": { zh: "涉嫌色情", en: "Suspected pornography" },
  "err(20004)": { zh: "涉嫌社会", en: "Suspected social-order content" },
  "err(20006)": { zh: "涉嫌违法犯罪", en: "Suspected crime" },
  "err(20008)": { zh: "涉嫌欺诈", en: "Suspected fraud" },
  "err(20013)": { zh: "涉嫌版权", en: "Suspected copyright infringement" },
  "err(21000)": { zh: "涉嫌其他", en: "Other violation" },
  "err(22000)": { zh: "涉嫌互推（互相宣传）", en: "Suspected mutual promotion" },
  "err(30001)": {
    zh: "原创校验出现系统错误且用户选择了被判为转载就不群发",
    en: "Originality check failed with a system error and the send was set to stop on reprints",
  },
  "err(30002)": { zh: "原创校验被判定为不能群发", en: "Originality check: not allowed to be sent" },
  "err(30003)": {
    zh: "原创校验被判定为转载文，且用户选择了被判为转载就不群发",
    en: "Originality check: judged a reprint, and the send was set to stop on reprints",
  },
  // WeChat's "send success" means the job ran to its end, even when every follower in it failed
  // (ErrorCount = TotalCount): "发送成功（成功 0，失败 8155）" read as a contradiction, so: finished.
  "send success": { zh: "已发送完毕", en: "Finished" },
  "send fail": { zh: "发送失败", en: "Send failed" },
};

export function jobStatusMeaning(status: string, lang: Lang): string {
  const m = JOB_STATUS[status.trim()];
  if (m) return lang === "en" ? m.en : m.zh;
  const n = /^err\((\d+)\)$/.exec(status.trim());
  return n ? (lang === "en" ? `Refused in review (${n[1]})` : `审核未通过（${n[1]}）`) : status;
}

export function errcodeInfo(errcode: number): ErrcodeInfo | undefined {
  return ERRCODES[errcode];
}

/** An answer from WeChat with a non-zero errcode. Never carries the access token. */
export class WeChatApiError extends Error {
  readonly retry: RetryClass;
  constructor(
    readonly errcode: number,
    readonly errmsg: string,
    readonly endpoint: string,
    readonly raw: string,
  ) {
    super(`WeChat ${endpoint} errcode ${errcode}: ${errmsg}`);
    this.name = "WeChatApiError";
    this.retry = ERRCODES[errcode]?.retry ?? "never";
  }
  meaning(lang: Lang): string {
    const info = ERRCODES[this.errcode];
    return info ? (lang === "en" ? info.en : info.zh) : this.errmsg;
  }
  action(lang: Lang): string | null {
    const info = ERRCODES[this.errcode];
    return info ? (lang === "en" ? info.enAction : info.zhAction) : null;
  }
}

export type TransportKind = "timeout" | "network" | "http" | "not-json" | "schema";

/** The request did not get a well-formed WeChat answer: a timeout, a dropped connection, a 5xx, a body that is not the documented JSON. */
export class WeChatTransportError extends Error {
  readonly retry: RetryClass = "retry-same-request";
  constructor(
    readonly kind: TransportKind,
    readonly endpoint: string,
    message: string,
    readonly status: number | null = null,
    readonly raw: string | null = null,
  ) {
    super(`WeChat ${endpoint}: ${message}`);
    this.name = "WeChatTransportError";
    // A body that parsed but did not match the schema will not change by repeating the request.
    if (kind === "schema" || (kind === "http" && status !== null && status < 500)) this.retry = "never";
  }
}

/** "errcode N: meaning. What to do." in the person's language; unknown errcodes keep WeChat's errmsg. */
export function describeError(err: unknown, lang: Lang): string {
  if (err instanceof WeChatApiError) {
    const action = err.action(lang);
    return `${err.errcode}: ${err.meaning(lang)}${action ? (lang === "en" ? ". " : "。") + action : ""}`;
  }
  if (err instanceof WeChatTransportError) {
    const zh: Record<TransportKind, string> = {
      timeout: "请求微信超时",
      network: "连接微信失败",
      http: `微信返回 HTTP ${err.status}`,
      "not-json": "微信返回了无法识别的内容",
      schema: "微信返回的数据与文档不符",
    };
    const en: Record<TransportKind, string> = {
      timeout: "WeChat did not answer in time",
      network: "Could not reach WeChat",
      http: `WeChat answered HTTP ${err.status}`,
      "not-json": "WeChat answered something that is not JSON",
      schema: "WeChat's answer does not match its documentation",
    };
    return lang === "en" ? en[err.kind] : zh[err.kind];
  }
  return err instanceof Error ? err.message : String(err);
}
