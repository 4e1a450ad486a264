import type { ReactNode } from "react";

/** A page whose feature has not shipped says so plainly instead of pretending. */
export function NotBuiltYet({ children }: { children: ReactNode }) {
  return (
    <section className="panel" role="status">
      <p className="empty">{children}</p>
    </section>
  );
}
