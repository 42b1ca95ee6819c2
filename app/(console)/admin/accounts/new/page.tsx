import { getTranslations } from "next-intl/server";
import { requirePageUser } from "@/lib/auth/guard";
import { AccountForm } from "../account-form";

export async function generateMetadata() {
  const t = await getTranslations("accounts");
  return { title: t("add") };
}

export default async function NewAccountPage() {
  await requirePageUser("admin");
  const t = await getTranslations("accounts");
  return (
    <>
      <h1 className="mb-4 text-2xl font-semibold">{t("add")}</h1>
      <AccountForm
        mode="create"
        defaults={{
          name: "",
          appid: "",
          appSecret: "",
          type: "service",
          verified: true,
          callbackToken: "",
          encodingAesKey: "",
          messageMode: "safe",
          relayUrl: "",
          apiBaseUrl: "https://api.weixin.qq.com",
          timezone: "Asia/Shanghai",
          requiresApproval: false,
        }}
      />
    </>
  );
}
