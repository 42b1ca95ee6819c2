import { XMLParser, XMLValidator } from "fast-xml-parser";

export class CallbackXmlError extends Error {
  constructor(readonly reason: "too-large" | "doctype" | "malformed" | "too-deep") {
    super(`callback xml: ${reason}`);
    this.name = "CallbackXmlError";
  }
}

export const MAX_XML_BYTES = 256 * 1024;
/**
 * The deepest push WeChat sends is five levels (xml › CopyrightCheckResult › ResultList › item ›
 * field, in the MASSSENDJOBFINISH of the Advanced Mass Send API's "事件推送群发结果"); anything far
 * deeper is not WeChat's and is refused before the validator and parser walk it.
 */
export const MAX_XML_DEPTH = 32;

/**
 * Whether elements nest more than `max` levels deep, by one pass over the text (each `<` is looked at once;
 * comments, CDATA, declarations and processing instructions are skipped, `<a/>` opens no level).
 * Unclosed constructs stop the scan: the validator refuses them as malformed.
 */
function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  for (let i = text.indexOf("<"); i !== -1; i = text.indexOf("<", i + 1)) {
    const skipTo = (end: string, from: number) => {
      const at = text.indexOf(end, from);
      return at === -1 ? -1 : at + end.length - 1;
    };
    if (text.startsWith("<![CDATA[", i)) i = skipTo("]]>", i + 9);
    else if (text.startsWith("<!--", i)) i = skipTo("-->", i + 4);
    else if (text[i + 1] === "?" || text[i + 1] === "!") i = skipTo(">", i + 2);
    else if (text[i + 1] === "/") {
      depth--;
      i = skipTo(">", i + 2);
    } else {
      i = skipTo(">", i + 1);
      if (i !== -1 && text[i - 1] !== "/" && ++depth > max) return true;
    }
    if (i === -1) return false;
  }
  return false;
}

const parser = new XMLParser({
  ignoreAttributes: true,
  processEntities: false,
  htmlEntities: false,
  // Every leaf stays a string: MsgID, MsgId and CreateTime must not lose digits to floats.
  parseTagValue: false,
  trimValues: true,
  cdataPropName: false,
  isArray: (_name, jpath) => /(^|\.)(ResultList)\.item$/.test(String(jpath)),
  // The depth is checked before parsing; this is the parser's own guard at the same limit.
  maxNestedTags: MAX_XML_DEPTH,
});

/**
 * Parses a push body. DOCTYPE and ENTITY declarations are refused before parsing (XXE,
 * billion laughs); a body over the limit, or nested deeper than any push of WeChat's, is refused
 * before it is read into a parser. Every refusal is a CallbackXmlError.
 */
export function parseCallbackXml(text: string, maxBytes = MAX_XML_BYTES): Record<string, unknown> {
  if (Buffer.byteLength(text, "utf8") > maxBytes) throw new CallbackXmlError("too-large");
  if (/<!DOCTYPE|<!ENTITY|<!\[INCLUDE|<!ELEMENT|<!ATTLIST/i.test(text)) throw new CallbackXmlError("doctype");
  if (nestsDeeperThan(text, MAX_XML_DEPTH)) throw new CallbackXmlError("too-deep");
  if (XMLValidator.validate(text) !== true) throw new CallbackXmlError("malformed");
  let doc: { xml?: unknown };
  try {
    doc = parser.parse(text) as { xml?: unknown };
  } catch {
    throw new CallbackXmlError("malformed");
  }
  if (!doc || typeof doc.xml !== "object" || doc.xml === null) throw new CallbackXmlError("malformed");
  return doc.xml as Record<string, unknown>;
}

/** Builds the small XML documents WeChat expects (replies and encrypted envelopes). */
export function buildXml(fields: Record<string, string | number>): string {
  const body = Object.entries(fields)
    .map(([k, v]) => (typeof v === "number" ? `<${k}>${v}</${k}>` : `<${k}><![CDATA[${String(v).replace(/]]>/g, "]]]]><![CDATA[>")}]]></${k}>`))
    .join("");
  return `<xml>${body}</xml>`;
}
