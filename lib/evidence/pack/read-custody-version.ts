import packageJson from "@/package.json";

/** The version recorded in every manifest (package.json's, bundled at build time). */
export function readCustodyVersion(): string {
  return packageJson.version;
}
