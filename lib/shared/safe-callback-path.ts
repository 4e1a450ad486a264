/** A same-site path to return to after sign-in; anything that could leave the site becomes "/". */
export function safeCallbackPath(value: string | undefined | null): string {
  if (!value || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\") || /[\r\n\t]/.test(value)) return "/";
  if (value.startsWith("/sign-in") || value.startsWith("/api/")) return "/";
  return value.slice(0, 2000);
}
