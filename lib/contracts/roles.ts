import { z } from "zod";

/** Custody's roles, lowest first: each role has every right of the roles before it except where noted. */
export const roles = ["viewer", "auditor", "approver", "admin"] as const;

export const ZRole = z.enum(roles);
export type TRole = z.infer<typeof ZRole>;

/**
 * What each role may do. auditor and approver are siblings above viewer (an auditor cannot approve,
 * an approver cannot export); admin has every right.
 */
export const roleRights: Record<TRole, readonly TRole[]> = {
  viewer: ["viewer"],
  auditor: ["viewer", "auditor"],
  approver: ["viewer", "approver"],
  admin: ["viewer", "auditor", "approver", "admin"],
};
