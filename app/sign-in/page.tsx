import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { SignInButton } from "@/components/sign-in-button";
import { getSignInConfig } from "@/lib/auth/get-sign-in-config";
import { safeCallbackPath } from "@/lib/shared/safe-callback-path";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

const messages: Record<string, string> = {
  OAuthSignin: "Could not start sign-in with GitLab. Try again.",
  OAuthCallback: "GitLab sign-in did not complete. Try again.",
  Callback: "Sign-in did not complete. Try again.",
  AccessDenied: "Sign-in was refused.",
  RateLimited: "Too many sign-in attempts from your address. Wait a minute and try again.",
  Configuration: "Sign-in is misconfigured on the server; the operator can see why in the logs.",
  expired: "Your session expired. Sign in again.",
  revoked: "Your session was ended. Sign in again.",
  unverified: "Your GitLab group membership could not be checked. Sign in again.",
};

export default async function Page({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const params = await searchParams;
  const config = getSignInConfig();
  const callbackUrl = safeCallbackPath(params.callbackUrl);
  const notice = params.signedOut ? "You are signed out." : (messages[params.error ?? ""] ?? messages[params.reason ?? ""] ?? (params.error ? "Sign-in failed. Try again." : null));
  return (
    <div className="sign-in">
      <PageHeader title="Sign in" lede={config.demo ? "Demo mode: GitLab sign-in is not configured." : `Custody uses your GitLab account at ${config.gitlabUrl}.`} />
      {notice ? (
        <p role="alert" className={params.signedOut ? undefined : "error"}>
          {notice}
        </p>
      ) : null}
      <section className="panel">
        {config.demo ? (
          <>
            <p>Anyone who can reach this address can sign in as the local administrator. Use it to try Custody on your own machine only.</p>
            <SignInButton provider="demo" label="Sign in as local admin (demo)" callbackUrl={callbackUrl} />
          </>
        ) : (
          <>
            <p>Your role comes from your GitLab groups and is checked again while you work.</p>
            <SignInButton provider="gitlab" label="Sign in with GitLab" callbackUrl={callbackUrl} />
          </>
        )}
      </section>
    </div>
  );
}
