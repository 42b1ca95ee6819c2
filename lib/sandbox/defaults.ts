import { env } from "@/lib/config/env";

/**
 * The sandbox's two seeded Official Accounts. Every value can be set by environment; the defaults
 * are documented in the README. An EncodingAESKey is 43 characters of base64.
 */
export function sandboxCredentials() {
  const o = env.sandboxCredentialOverrides;
  return [
    {
      appid: o.service.appid || "wxqunfa0sandbox001",
      secret: o.service.secret || "qunfaSandboxServiceSecret0000001",
      callbackToken: o.service.callbackToken || "qunfaSandboxToken",
      aesKey: o.service.aesKey || "qunfaSandboxEncodingAesKey0123456789abcdefg",
      type: "service" as const,
      name: "群发沙箱服务号",
      ghId: "gh_qunfa0service",
    },
    {
      appid: o.subscription.appid || "wxqunfa0sandbox002",
      secret: o.subscription.secret || "qunfaSandboxSubscriptSecret00002",
      callbackToken: o.subscription.callbackToken || "qunfaSandboxSubToken",
      aesKey: o.subscription.aesKey || "qunfaSandboxSubscriptionAesKey0123456789abc",
      type: "subscription" as const,
      name: "群发沙箱订阅号",
      ghId: "gh_qunfa0subscri",
    },
  ];
}

/** Followers with a WeChat ID, for "preview on my WeChat". */
export const SANDBOX_WECHAT_IDS = ["qunfa_tester", "qunfa_demo_1", "qunfa_demo_2", "qunfa_editor", "qunfa_boss"];

export const SANDBOX_TAGS = [
  { id: 2, name: "星标组", pct: 5 },
  { id: 100, name: "VIP 会员", pct: 8 },
  { id: 101, name: "上海", pct: 22 },
  { id: 102, name: "北京", pct: 18 },
  { id: 103, name: "广东", pct: 25 },
  { id: 104, name: "新关注", pct: 12 },
  { id: 105, name: "活跃读者", pct: 30 },
  { id: 106, name: "沉默用户", pct: 35 },
  { id: 107, name: "女性", pct: 52 },
  { id: 108, name: "男性", pct: 46 },
  { id: 109, name: "母婴", pct: 7 },
  { id: 110, name: "测试组", pct: 1 },
];

export function timeScale(): number {
  return env.sandboxTimeScale;
}
