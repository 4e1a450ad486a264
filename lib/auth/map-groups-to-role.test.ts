import { describe, expect, it } from "vitest";
import { mapGroupsToRole } from "./map-groups-to-role.ts";

const config = {
  admin: ["acme/platform-admins"],
  approver: ["acme/release-leads", "acme/sre"],
  auditor: ["acme/compliance"],
  viewer: ["acme/developers"],
};

describe("roles from GitLab groups", () => {
  it("each configured group grants its role", () => {
    expect(mapGroupsToRole(["acme", "acme/platform-admins"], config)).toBe("admin");
    expect(mapGroupsToRole(["acme/sre"], config)).toBe("approver");
    expect(mapGroupsToRole(["acme/compliance"], config)).toBe("auditor");
    expect(mapGroupsToRole(["acme/developers"], config)).toBe("viewer");
  });

  it("a user in several allowed groups gets the highest role", () => {
    expect(mapGroupsToRole(["acme/developers", "acme/compliance", "acme/release-leads"], config)).toBe("approver");
    expect(mapGroupsToRole(["acme/developers", "acme/platform-admins"], config)).toBe("admin");
  });

  it("no allowed group means no access", () => {
    expect(mapGroupsToRole([], config)).toBeNull();
    expect(mapGroupsToRole(["acme", "other/platform-admins"], config)).toBeNull();
  });

  it("a configured parent group does not match a user who is only in a subgroup, nor a similarly named group", () => {
    const parent = { admin: [], approver: [], auditor: [], viewer: ["acme"] };
    expect(mapGroupsToRole(["acme/web"], parent)).toBeNull();
    expect(mapGroupsToRole(["acme-evil"], parent)).toBeNull();
    expect(mapGroupsToRole(["acme", "acme/web"], parent)).toBe("viewer");
  });

  it("group paths compare case-insensitively, as GitLab paths do", () => {
    expect(mapGroupsToRole(["ACME/Platform-Admins"], config)).toBe("admin");
  });
});
