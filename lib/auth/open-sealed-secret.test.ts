import { describe, expect, it } from "vitest";
import { openSealedSecret } from "./open-sealed-secret.ts";
import { sealSecret } from "./seal-secret.ts";

const secret = "a-session-secret-of-at-least-32-characters";

describe("stored GitLab tokens", () => {
  it("are encrypted, and open only with the same secret", () => {
    const sealed = sealSecret("glpat-access-token", secret);
    expect(sealed).not.toContain("glpat");
    expect(openSealedSecret(sealed, secret)).toBe("glpat-access-token");
    expect(openSealedSecret(sealed, `${secret}-rotated`)).toBeNull();
  });

  it("an altered ciphertext does not open", () => {
    const sealed = sealSecret("token", secret);
    const [v, iv, body] = sealed.split(".");
    const flipped = Buffer.from(body!, "base64url");
    flipped[0] = flipped[0]! ^ 1;
    expect(openSealedSecret(`${v}.${iv}.${flipped.toString("base64url")}`, secret)).toBeNull();
    expect(openSealedSecret("garbage", secret)).toBeNull();
  });
});
