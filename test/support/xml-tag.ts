/** Test helper: the text of the first <Tag>…</Tag> of a WeChat XML document, CDATA unwrapped. */
export function tag(xml: string, name: string): string {
  const m = new RegExp(`<${name}>(?:<!\\[CDATA\\[([\\s\\S]*?)\\]\\]>|([^<]*))</${name}>`).exec(xml);
  return m ? (m[1] ?? m[2] ?? "") : "";
}
