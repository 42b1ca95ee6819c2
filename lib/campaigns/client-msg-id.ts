/**
 * The clientmsgid of a batch: derived from the campaign, its message version and the batch, so the
 * same batch always carries the same id (a retry is answered 45065 with the msg_id, never sent
 * twice), and a new version of the message or another batch never collides (easywechat#1726 used a
 * timestamp that repeated inside a loop). WeChat allows 64 bytes; this is at most ~40 ASCII bytes.
 */
export function clientMsgId(campaignId: string, messageVersion: number, seq: number): string {
  const id = `qf-${campaignId}-v${messageVersion}-b${seq}`;
  if (Buffer.byteLength(id, "utf8") > 64) throw new Error(`clientmsgid too long: ${id}`);
  return id;
}
