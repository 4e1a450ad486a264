"use client";

import { useEffect } from "react";

/** "/" focuses the search field from anywhere on the page, as on GitLab and GitHub; typing in a field is left alone. */
export function SearchShortcut({ targetId }: { targetId: string }) {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
      if (target && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName))) return;
      const field = document.getElementById(targetId);
      if (!(field instanceof HTMLInputElement)) return;
      event.preventDefault();
      field.focus();
      field.select();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [targetId]);
  return null;
}
