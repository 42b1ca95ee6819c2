import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { SAMPLE_MAX, sandboxTagFollowers, sandboxTagList } from "@/lib/sandbox";
import { tagFollowersQuery } from "@/lib/sandbox/schemas";
import { Card, CardTitle } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { Select } from "@/components/ui/input";
import { Label } from "@/components/ui/field";
import { Button } from "@/components/ui/button";

const PAGE = 50;

/**
 * The sandbox as a rehearsal: a tag's simulated followers (OpenID, nickname, WeChat ID), a page at
 * a time, and their OpenIDs as a list to upload as an OpenID audience.
 */
export async function TagFollowers({ appid, tag, after, who }: { appid: string; tag?: string; after?: string; who?: string }) {
  const t = await getTranslations("sandbox.followers");
  const db = await getDb();
  const tags = await sandboxTagList(db, appid);
  const q = tag ? tagFollowersQuery.safeParse({ app: appid, tag, after }) : null;
  const picked = q?.success ? tags.find((x) => x.id === q.data.tag) : undefined;
  const page = picked && q?.success ? await sandboxTagFollowers(db, appid, picked.id, q.data.after, PAGE) : null;
  const href = (extra: Record<string, string>) => `/sandbox?${new URLSearchParams({ app: appid, ...(who ? { who } : {}), ...extra })}`;
  return (
    <Card aria-labelledby="sb-followers-title">
      <CardTitle id="sb-followers-title">{t("title")}</CardTitle>
      <p className="mb-3 text-sm text-slate-700">{t("intro")}</p>
      <form method="get" action="/sandbox" className="mb-4 flex flex-wrap items-end gap-3">
        <input type="hidden" name="app" value={appid} />
        {who && <input type="hidden" name="who" value={who} />}
        <div className="min-w-0 max-w-full">
          <Label htmlFor="sb-tag">{t("tag")}</Label>
          <Select id="sb-tag" name="tag" defaultValue={picked ? String(picked.id) : ""} required>
            <option value="" disabled>
              {t("pick")}
            </option>
            {tags.map((x) => (
              <option key={x.id} value={x.id}>
                {t("tagOption", { name: x.name, count: x.count })}
              </option>
            ))}
          </Select>
        </div>
        <Button type="submit">{t("show")}</Button>
      </form>
      {!tag ? (
        <p className="text-sm text-slate-600">{t("pick")}</p>
      ) : !picked || !page ? (
        <p role="alert" className="text-sm text-red-700">
          {t("noTag")}
        </p>
      ) : page.rows.length === 0 ? (
        <p className="text-sm text-slate-600">{t("none")}</p>
      ) : (
        <div className="space-y-3">
          <div className="flex flex-wrap items-center gap-3">
            <a
              className="inline-flex items-center rounded-md border border-emerald-700 px-3 py-1.5 text-sm font-medium text-emerald-800 hover:bg-emerald-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-emerald-600"
              href={`/sandbox/export?${new URLSearchParams({ app: appid, tag: String(picked.id) })}`}
              download
              data-testid="sandbox-export"
            >
              {t("export", { count: Math.min(picked.count, SAMPLE_MAX) })}
            </a>
            <span className="text-xs text-slate-600">{t("exportHint", { max: SAMPLE_MAX })}</span>
          </div>
          <p className="text-sm text-slate-700" aria-live="polite">
            {t("count", { count: picked.count, shown: page.rows.length })}
          </p>
          <Table caption={t("table", { name: picked.name })} data-testid="sandbox-tag-followers">
            <thead>
              <tr>
                <Th>{t("openid")}</Th>
                <Th>{t("nickname")}</Th>
                <Th>{t("wechatId")}</Th>
              </tr>
            </thead>
            <tbody>
              {page.rows.map((f) => (
                <tr key={f.openid}>
                  <Td className="break-all font-mono text-xs">{f.openid}</Td>
                  <Td>{f.nickname}</Td>
                  <Td>{f.wechatId ?? "—"}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
          <nav className="flex gap-4 text-sm" aria-label={t("title")}>
            {q?.success && q.data.after && (
              <Link className="underline" href={href({ tag: String(picked.id) })}>
                {t("first")}
              </Link>
            )}
            {page.next && (
              <Link className="underline" href={href({ tag: String(picked.id), after: page.next })}>
                {t("next")}
              </Link>
            )}
          </nav>
        </div>
      )}
    </Card>
  );
}
