// The history benches' data (bench/history-list.ts times the queries in process, bench/history-page.ts
// the page over HTTP): N campaigns over two accounts (a1: 90 %), with their batches (1 request for
// everyone / a tag, 1-5 for an OpenID list, only for campaigns that started) and audience lists, all
// written set-based (generate_series), so 100 000 campaigns take seconds.
import { sql } from "drizzle-orm";
import type { DbHandle } from "../db/client";

export const LISTS = 300;

export async function seedHistory(h: DbHandle, N: number, accounts: [string, string] = ["a1", "a2"]) {
  await h.db.execute(
    sql`insert into "user" (id, name, email, role) values ('u1','Li','li@x.test','publisher'), ('u2','Wang','wang@x.test','admin'),
      ('u3','Zhao','zhao@x.test','viewer') on conflict do nothing`,
  );
  await h.db.execute(
    sql`insert into wechat_accounts (id, name, appid, type, app_secret_enc, callback_token_enc) values
      (${accounts[0]},'A','wx1234567890abcdef','service','x','x'), (${accounts[1]},'B','wx1234567890abcdee','service','x','x') on conflict do nothing`,
  );
  await h.db.execute(sql`
    insert into audience_lists (id, account_id, name, status, valid_count, created_by)
    select 'l' || g, case when g % 10 = 0 then ${accounts[1]} else ${accounts[0]} end, '老客户名单 ' || g, 'ready', 2 + (g * 7919) % 50000, 'u1'
    from generate_series(1, ${LISTS}) g`);
  await h.db.execute(sql`
    insert into campaigns (id, account_id, name, state, message_type, message, search_text, audience_kind, tag_id, tag_name, audience_list_id, audience_size,
                           created_by, sent_by, approved_by, created_at, started_at, total_count, filter_count, sent_count, error_count)
    select 'c' || lpad(g::text, 7, '0'),
           case when g % 10 = 0 then ${accounts[1]} else ${accounts[0]} end,
           case when g % 97 = 0 then '双十一 大促 ' || g else 'Campaign ' || (g % 5000) end,
           st,
           (array['mpnews','mpnews','text','image','mpvideo'])[1 + g % 5],
           '{"type":"text","content":"x"}'::jsonb,
           case when g % 13 = 0 then '秋季新品上市' else 'weekly digest ' || (g % 500) end,
           ak,
           case when ak = 'tag' then 2 end, case when ak = 'tag' then 'VIP' end,
           case when ak = 'list' then 'l' || (1 + g % ${LISTS}) end,
           1000,
           'u1', case when g % 2 = 0 then 'u2' end, case when g % 50 = 0 then 'u2' end,
           timestamptz '2024-01-01' + (g || ' minutes')::interval,
           case when st in ('finished','sending','cancelled') then timestamptz '2024-01-01' + ((g + 30) || ' minutes')::interval end,
           case when st = 'finished' then 1000 end, case when st = 'finished' then 950 end,
           case when st = 'finished' then 900 + g % 97 end, case when st = 'finished' then g % 7 end
    from (select g, (array['draft','finished','finished','finished','sending','cancelled'])[1 + g % 6] as st, (array['all','tag','list'])[1 + g % 3] as ak
          from generate_series(1, ${N}) g) s`);
  // Requests: one for everyone or a tag, 1–5 for a list; only for campaigns that started.
  await h.db.execute(sql`
    insert into campaign_batches (campaign_id, account_id, seq, kind, client_msg_id, state, msg_id, submitted_at, recipient_count)
    select c.id, c.account_id, s, case when c.audience_kind = 'list' then 'send' else 'sendall' end,
           'qf-' || c.id || '-v1-b' || s, 'submitted', (1000000 + row_number() over ())::text, c.started_at, 1000
    from campaigns c
    cross join lateral generate_series(1, case when c.audience_kind = 'list' then 1 + (hashtext(c.id) & 4) else 1 end) s
    where c.started_at is not null`);
  await h.db.execute(sql`analyze`);
}
