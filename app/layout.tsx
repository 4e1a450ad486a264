import type { Metadata } from "next";
import type { ReactNode } from "react";
import Link from "next/link";
import { AppNav } from "@/components/app-nav";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Custody", template: "%s · Custody" },
  description: "Build provenance and audit evidence across GitLab, Buildkite and the cloud.",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <div className="shell">
          <aside className="sidebar">
            <Link href="/" className="brand">
              Custody
            </Link>
            <AppNav />
          </aside>
          <main className="main" id="main">
            {children}
          </main>
        </div>
      </body>
    </html>
  );
}
