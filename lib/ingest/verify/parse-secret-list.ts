import "server-only";

/**
 * Reads a comma-separated secret setting into a list. Several values let a secret rotate without
 * downtime: configure old and new together, switch the sender, then drop the old one.
 * Blank entries are dropped so a trailing comma can never configure an empty secret.
 */
export function parseSecretList(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
}
