/**
 * WeChat's rules for a news (图文) message. WeChat's 「高级群发接口」: 1–8 articles; thumb_media_id, title and content
 * required. WeChat's 「新增草稿」 limits: content under 20 000 characters and under 1 MB. Title 64 and digest 120
 * characters are WeChat's limits (the sandbox answers 45003 over 64); author 8 characters is what
 * WeChat's own editor allows. Pure: used by the browser and the server.
 */
export const ARTICLES_MIN = 1;
export const ARTICLES_MAX = 8;
export const TITLE_MAX = 64;
export const AUTHOR_MAX = 8;
export const DIGEST_MAX = 120;
/** Content is counted as the HTML WeChat receives: strictly fewer than 20 000 characters… */
export const CONTENT_CHARS_LIMIT = 20_000;
/** …and strictly less than 1 MB of UTF-8. */
export const CONTENT_BYTES_LIMIT = 1024 * 1024;
export const SOURCE_URL_MAX = 2048;

const encoder = new TextEncoder();
export function utf8Bytes(s: string): number {
  return encoder.encode(s).length;
}

/** Whether the content has anything a reader would see (text or a picture), not just empty tags. */
export function contentHasSubstance(html: string): boolean {
  if (/<img\b/i.test(html)) return true;
  const text = html
    .replace(/<[^>]*>/g, "")
    .replace(/&nbsp;|&#160;/g, " ")
    .trim();
  return text.length > 0;
}

/** Values the `news` catalog's rule messages name. */
export const LIMIT_VALUES = {
  titleMax: TITLE_MAX,
  authorMax: AUTHOR_MAX,
  digestMax: DIGEST_MAX,
  charsLimit: CONTENT_CHARS_LIMIT,
  bytesLimit: "1 MB",
  articlesMax: ARTICLES_MAX,
  articlesMin: ARTICLES_MIN,
};
