"use client";

import { useState } from "react";
import { submitAuthForm } from "@/lib/client/submit-auth-form";
import { useHydrated } from "@/lib/client/use-hydrated";

/** Starts GitLab sign-in, or signs in as the local demo admin (only offered in demo mode). */
export function SignInButton({ provider, label, callbackUrl }: { provider: "gitlab" | "demo"; label: string; callbackUrl: string }) {
  const hydrated = useHydrated();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const path = provider === "gitlab" ? "/api/auth/signin/gitlab" : "/api/auth/callback/demo";
  return (
    <>
      <button
        type="button"
        className="primary"
        disabled={busy || !hydrated}
        onClick={() => {
          setBusy(true);
          setError(null);
          submitAuthForm(path, { callbackUrl }).catch((e: Error) => {
            setBusy(false);
            setError(e.message);
          });
        }}
      >
        {busy ? "Signing in…" : label}
      </button>
      {error ? (
        <p role="alert" className="error">
          {error}
        </p>
      ) : null}
    </>
  );
}
