import { roleRights, type TRole } from "@/lib/contracts/roles";

/** True when `role` carries the rights of `required` (admin carries all; auditor and approver are siblings). */
export function roleAllows(role: TRole, required: TRole): boolean {
  return roleRights[role].includes(required);
}
