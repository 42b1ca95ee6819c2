import { XMLParser, XMLValidator } from "fast-xml-parser";

export class CallbackXmlError extends Error {
  constructor(readonly reason: "too-large" | "doctype" | "malformed") {
    super(`callback xml: ${reason}`);
    this.name = "CallbackXmlError";
  }
}

export const MAX_XML_BYTES = 256 * 1024;

const parser = new XMLParser({
  ignoreAttributes: true,
  processEntities: false,
  htmlEntities: false,
  // Every leaf stays a string: MsgID, MsgId and CreateTime must not lose digits to floats.
  parseTagValue: false,
  trimValues: true,
  cdataPropName: false,
  isArray: (_name, jpath) => /(^|\.)(ResultList)\.item$/.test(String(jpath)),
});

/**
 * Parses a push body. DOCTYPE and ENTITY declarations are refused before parsing (XXE,
 * billion laughs); a body over the limit is refused before it is read into a parser.
 */
export function parseCallbackXml(text: string, maxBytes = MAX_XML_BYTES): Record<string, unknown> {
  if (Buffer.byteLength(text, "utf8") > maxBytes) throw new CallbackXmlError("too-large");
  if (/<!DOCTYPE|<!ENTITY|<!\[INCLUDE|<!ELEMENT|<!ATTLIST/i.test(text)) throw new CallbackXmlError("doctype");
  if (XMLValidator.validate(text) !== true) throw new CallbackXmlError("malformed");
  const doc = parser.parse(text) as { xml?: unknown };
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
