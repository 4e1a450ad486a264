"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const items = [
  { href: "/", label: "Overview" },
  { href: "/timeline", label: "Timeline" },
  { href: "/deploys", label: "Deploys" },
  { href: "/people", label: "People" },
  { href: "/approvals", label: "Approvals" },
  { href: "/reports", label: "Reports" },
  { href: "/ingest", label: "Ingest" },
  { href: "/settings", label: "Settings" },
];

/** The main navigation; shows only the sections the signed-in role may open. */
export function AppNav({ sections }: { sections: string[] }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Main">
      <ul className="nav">
        {items
          .filter((item) => sections.includes(item.href))
          .map((item) => {
            const active = item.href === "/" ? pathname === "/" : pathname.startsWith(item.href);
            return (
              <li key={item.href}>
                <Link href={item.href} aria-current={active ? "page" : undefined}>
                  {item.label}
                </Link>
              </li>
            );
          })}
      </ul>
    </nav>
  );
}
