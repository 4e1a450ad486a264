"use client";

import { useState } from "react";
import { submitAuthForm } from "@/lib/client/submit-auth-form";
import { useHydrated } from "@/lib/client/use-hydrated";

export function SignOutButton() {
  const hydrated = useHydrated();
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      className="link-button"
      disabled={busy || !hydrated}
      onClick={() => {
        setBusy(true);
        void submitAuthForm("/api/auth/signout", { callbackUrl: "/sign-in?signedOut=1" }).catch(() => setBusy(false));
      }}
    >
      Sign out
    </button>
  );
}
