import { env } from "@/lib/config/env";

/** The URL an admin pastes into WeChat's 服务器地址(URL) field. */
export function callbackUrl(accountId: string): string {
  return `${env.publicUrl}/api/wechat/callback/${accountId}`;
}
