import type { TRole } from "@/lib/contracts/roles";

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The 403 answer for a page the caller's role may not open: a small self-contained HTML page (the
 * proxy answers before any React renders, so the status is a real 403). Client-side navigations that
 * receive it fall back to loading the page, which shows the same answer.
 */
export function forbiddenPageResponse(required: TRole, role: TRole): Response {
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex"><title>Forbidden · Custody</title>
<style>body{font-family:ui-sans-serif,system-ui,sans-serif;background:#f7f7f5;color:#1d232b;margin:0;padding:48px}main{max-width:640px;background:#fff;border:1px solid #dfe2e6;border-radius:8px;padding:20px 24px}a{color:#23507a}</style></head>
<body><main><h1>Forbidden</h1><p>This page needs the ${escape(required)} role; you are ${escape(role)}.</p>
<p>Roles come from GitLab groups; an admin can tell you which.</p><p><a href="/">Back to the overview</a></p></main></body></html>`;
  return new Response(html, { status: 403, headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" } });
}
