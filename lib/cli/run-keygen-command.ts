import { generateKeyPairSync } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { readSigningKey } from "@/lib/evidence/read-signing-key";

const usage = "custody keygen [--out <dir>]";
const privateName = "custody-signing-key.pem";
const publicName = "custody-signing-key.pub.pem";

/** `custody keygen`: writes a new Ed25519 key pair (PKCS#8 / SPKI PEM) for signing ledger checkpoints; never overwrites. */
export async function runKeygenCommand(args: string[]): Promise<number> {
  const outIndex = args.indexOf("--out");
  const unknown = args.filter((a, i) => !(a === "--out" || (outIndex >= 0 && i === outIndex + 1)));
  if ((outIndex >= 0 && !args[outIndex + 1]) || unknown.length) {
    console.error(`Usage: ${usage}`);
    return 2;
  }
  const dir = resolve(outIndex >= 0 ? args[outIndex + 1]! : ".");
  const { privateKey } = generateKeyPairSync("ed25519");
  const privatePem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  const key = readSigningKey(privatePem);
  await mkdir(dir, { recursive: true });
  try {
    // wx: refuse to replace a key that may already sign checkpoints.
    await writeFile(join(dir, privateName), privatePem, { mode: 0o600, flag: "wx" });
    await writeFile(join(dir, publicName), key.publicKeyPem, { mode: 0o644, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") {
      console.error(`${dir} already holds a ${privateName} or ${publicName}; not overwriting it. Choose another --out directory.`);
      return 1;
    }
    throw error;
  }
  console.log(`Wrote ${join(dir, privateName)} (private, mode 600) and ${join(dir, publicName)}.`);
  console.log(`Public key fingerprint (SHA-256 of the DER public key): ${key.fingerprint}`);
  console.log(`Set CUSTODY_SIGNING_KEY=${join(dir, privateName)} for the worker; give the public key to whoever verifies checkpoints.`);
  return 0;
}
