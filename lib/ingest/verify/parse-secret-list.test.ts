import { describe, expect, it } from "vitest";
import { parseSecretList } from "./parse-secret-list";

describe("parseSecretList", () => {
  it("is empty when the setting is unset", () => {
    expect(parseSecretList(undefined)).toEqual([]);
  });

  it("is empty for a blank setting", () => {
    expect(parseSecretList("")).toEqual([]);
    expect(parseSecretList("  ,  , ")).toEqual([]);
  });

  it("keeps a single secret", () => {
    expect(parseSecretList("whsec_abc")).toEqual(["whsec_abc"]);
  });

  it("keeps old and new secrets in order so both verify during rotation", () => {
    expect(parseSecretList("old-token, new-token")).toEqual(["old-token", "new-token"]);
  });

  it("trims whitespace and drops empty entries from stray commas", () => {
    expect(parseSecretList(" ,a ,, \tb\n,")).toEqual(["a", "b"]);
  });

  it("keeps characters inside a secret, including = padding and spaces", () => {
    expect(parseSecretList("whsec_MfKQ9r8G+/==,two words")).toEqual(["whsec_MfKQ9r8G+/==", "two words"]);
  });
});
