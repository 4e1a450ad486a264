import { z } from "zod";
import { ZTimelineItem } from "./timeline.ts";

/**
 * How an account came to belong to a person. Automatic methods are re-derived by every linking pass;
 * "admin" and "admin_unlinked" are an admin's decision and no automatic pass changes them.
 */
export const linkMethods = ["gitlab_user_id", "sso_verified_email", "email_match", "admin", "admin_unlinked"] as const;
export const ZLinkMethod = z.enum(linkMethods);
export type TLinkMethod = z.infer<typeof ZLinkMethod>;

/** strong: the same id or an email GitLab SSO verified; weak: an email merely seen on both sides; admin: mapped by hand. */
export const ZLinkStrength = z.enum(["strong", "weak", "admin"]);
export type TLinkStrength = z.infer<typeof ZLinkStrength>;

export const ZPersonAccount = z.object({
  id: z.string(),
  system: z.string(),
  externalId: z.string(),
  username: z.string().nullable(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  personId: z.string().nullable(),
  linkMethod: z.string().nullable(),
  strength: ZLinkStrength.nullable(),
  evidence: z.record(z.string(), z.unknown()).nullable(),
  firstSeenAt: z.string(),
});
export type TPersonAccount = z.infer<typeof ZPersonAccount>;

export const ZPeopleQuery = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type TPeopleQuery = z.infer<typeof ZPeopleQuery>;

export const ZPersonSummary = z.object({
  id: z.string(),
  displayName: z.string(),
  createdAt: z.string(),
  accounts: z.array(z.object({ id: z.string(), system: z.string(), username: z.string().nullable(), linkMethod: z.string().nullable() })),
});
export type TPersonSummary = z.infer<typeof ZPersonSummary>;

export const ZPeoplePage = z.object({ items: z.array(ZPersonSummary), nextCursor: z.string().nullable() });
export type TPeoplePage = z.infer<typeof ZPeoplePage>;

export const ZPersonQuery = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type TPersonQuery = z.infer<typeof ZPersonQuery>;

export const ZPersonDetail = z.object({
  id: z.string(),
  displayName: z.string(),
  createdAt: z.string(),
  accounts: z.array(ZPersonAccount),
  activity: z.object({ items: z.array(ZTimelineItem), nextCursor: z.string().nullable() }),
});
export type TPersonDetail = z.infer<typeof ZPersonDetail>;

export const ZUnlinkedAccounts = z.object({ items: z.array(ZPersonAccount) });
export type TUnlinkedAccounts = z.infer<typeof ZUnlinkedAccounts>;

const ZUuid = z.uuid();

export const ZAccountLinkCreate = z.object({
  accountId: ZUuid,
  personId: z.union([ZUuid, z.literal("new")]),
  reason: z.string().trim().min(1).max(500),
});
export type TAccountLinkCreate = z.infer<typeof ZAccountLinkCreate>;

export const ZAccountUnlink = z.object({ reason: z.string().trim().min(1).max(500) });
export type TAccountUnlink = z.infer<typeof ZAccountUnlink>;
