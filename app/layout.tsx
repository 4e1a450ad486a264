import type { Metadata } from "next";
import type { ReactNode } from "react";
import Link from "next/link";
import { AppNav } from "@/components/app-nav";
import { QueryProvider } from "@/components/query-provider";
import { SignOutButton } from "@/components/sign-out-button";
import { getShellState } from "@/lib/auth/get-shell-state";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Custody", template: "%s · Custody" },
  description: "Build provenance and audit evidence across GitLab, Buildkite and the cloud.",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const shell = await getShellState();
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        {shell.demo ? (
          <div className="banner" role="status">
            <strong>SSO is not configured — demo mode.</strong> Anyone who can reach this address can sign in as admin. Set{" "}
            <code>GITLAB_CLIENT_ID</code> to use GitLab sign-in (see the README).
          </div>
        ) : null}
        <div className="shell">
          <aside className="sidebar">
            <Link href="/" className="brand">
              Custody
            </Link>
            {shell.user ? <AppNav sections={shell.sections} /> : null}
            {shell.user ? (
              <div className="whoami" aria-label="Signed in">
                <span data-testid="user-name">{shell.user.name}</span>{" "}
                <span className="badge" data-testid="user-role">
                  {shell.user.role}
                </span>
                {shell.user.kind === "user" ? <SignOutButton /> : null}
              </div>
            ) : null}
          </aside>
          <main className="main" id="main">
            <QueryProvider>{children}</QueryProvider>
          </main>
        </div>
      </body>
    </html>
  );
}
