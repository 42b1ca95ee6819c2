"use client";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import { Select } from "@/components/ui/input";
import { Label } from "@/components/ui/field";
import { setSpeedAction } from "@/app/(console)/[accountId]/actions";
import { useHydrated } from "@/components/forms/use-hydrated";

const PER_MINUTE = ["80", "60", "45", "30", "10"];

export function SpeedControl({ accountId, speed }: { accountId: string; speed: number }) {
  const t = useTranslations("dashboard");
  const router = useRouter();
  const [value, setValue] = useState(speed);
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const [pending, start] = useTransition();
  // A speed picked before hydration was shown but not in state: "Set speed" stayed disabled beside it.
  const ready = useHydrated();
  return (
    <div className="flex flex-wrap items-end gap-3">
      <fieldset disabled={!ready} className="flex min-w-0 flex-wrap items-end gap-3">
        <div>
          <Label htmlFor="speed">{t("speedLabel")}</Label>
          <Select id="speed" value={value} onChange={(e) => setValue(Number(e.target.value))}>
            {PER_MINUTE.map((n, i) => (
              <option key={i} value={i}>
                {t("speedOption", { speed: i, n })}
              </option>
            ))}
          </Select>
        </div>
        <Button
          variant="secondary"
          disabled={pending || value === speed}
          onClick={() =>
            start(async () => {
              const r = await setSpeedAction({ accountId, speed: value });
              setMsg(r.ok ? { ok: true, text: t("speedSaved") } : { ok: false, text: r.error });
              router.refresh();
            })
          }
        >
          {t("setSpeed")}
        </Button>
      </fieldset>
      <div aria-live="polite" className="w-full">
        {msg && <Alert tone={msg.ok ? "success" : "error"}>{msg.text}</Alert>}
      </div>
    </div>
  );
}
