import { getLocale, getTranslations } from "next-intl/server";
import { DEFAULT_TIME_ZONE, formatDateTimeZoned } from "@/lib/i18n/time";
import { toLocale } from "@/lib/i18n/locales";
import { getDb } from "@/db/client";
import { requirePageUser } from "@/lib/auth/guard";
import { listOpenInvitations, listUsers } from "@/lib/users/user-service";
import { Card, CardTitle, EmptyState } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { previewTargetOf } from "@/lib/users/preview-target";
import { InviteForm, PreviewTargetControls, RevokeInviteButton, UserRowControls } from "./user-controls";

export async function generateMetadata() {
  const t = await getTranslations("users");
  return { title: t("title") };
}

export default async function UsersPage() {
  const me = await requirePageUser("admin");
  const t = await getTranslations("users");
  const tn = await getTranslations("nav");
  const db = await getDb();
  const [users, invites] = await Promise.all([listUsers(db), listOpenInvitations(db)]);
  // Invitations belong to no account: Beijing time, labelled.
  const locale = toLocale(await getLocale());
  return (
    <>
      <h1 className="mb-4 text-2xl font-semibold">{t("title")}</h1>
      <Card className="mb-6">
        <CardTitle>{t("inviteTitle")}</CardTitle>
        <InviteForm />
      </Card>
      <Table caption={t("title")} stack>
        <thead>
          <tr>
            <Th>{t("name")}</Th>
            <Th>{t("email")}</Th>
            <Th>{t("role")}</Th>
            <Th>{t("status")}</Th>
            <Th>{t("previewTarget.title")}</Th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id}>
              <Td className="font-medium">{u.name}</Td>
              <Td label={t("email")} className="break-all">
                {u.email}
              </Td>
              <UserRowControls user={{ id: u.id, email: u.email, role: u.role, banned: u.banned }} isSelf={u.id === me.id} />
              <Td label={t("previewTarget.title")}>
                <PreviewTargetControls
                  user={{ id: u.id, email: u.email, wechatId: u.wechatId, previewOpenid: u.previewOpenid }}
                  confirmed={previewTargetOf(u).ok}
                />
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
      <h2 className="mb-2 mt-8 text-lg font-semibold">{t("openInvites")}</h2>
      {invites.length === 0 ? (
        <EmptyState title={t("noInvites")} />
      ) : (
        <Table caption={t("openInvites")} stack>
          <thead>
            <tr>
              <Th>{t("email")}</Th>
              <Th>{t("role")}</Th>
              <Th>{t("expires")}</Th>
              <Th>
                <span className="sr-only">{t("actions")}</span>
              </Th>
            </tr>
          </thead>
          <tbody>
            {invites.map((i) => (
              <tr key={i.id}>
                <Td className="break-all font-medium">{i.email}</Td>
                <Td label={t("role")}>{tn(`role.${i.role}`)}</Td>
                <Td label={t("expires")} className="whitespace-nowrap">
                  {formatDateTimeZoned(i.expiresAt, DEFAULT_TIME_ZONE, locale)}
                </Td>
                <Td>
                  <RevokeInviteButton id={i.id} email={i.email} />
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </>
  );
}
