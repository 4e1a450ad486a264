import { describe, expect, it } from "vitest";
import { toPersonAccount, type TAccountRow } from "./to-person-account.ts";

const row = (over: Partial<TAccountRow>): TAccountRow => ({
  id: "a1", system: "buildkite", externalId: "u1", username: null, name: "N", email: "n@acme.test", personId: "p1", linkMethod: null, linkEvidence: null, firstSeenAt: new Date("2026-11-01T00:00:00Z"), ...over,
});

describe("toPersonAccount", () => {
  it("says how strong each link method is, and that an unlinked account has no strength", () => {
    expect(toPersonAccount(row({ linkMethod: "gitlab_user_id" })).strength).toBe("strong");
    expect(toPersonAccount(row({ linkMethod: "sso_verified_email" })).strength).toBe("strong");
    expect(toPersonAccount(row({ linkMethod: "email_match" })).strength).toBe("weak");
    expect(toPersonAccount(row({ linkMethod: "admin" })).strength).toBe("admin");
    expect(toPersonAccount(row({ personId: null, linkMethod: "admin_unlinked", linkEvidence: { reason: "x" } }))).toMatchObject({ strength: null, evidence: { reason: "x" } });
  });

  it("drops evidence that is not an object", () => {
    expect(toPersonAccount(row({ linkMethod: "admin", linkEvidence: ["odd"] })).evidence).toBeNull();
  });
});
