import type { TLedgerStatus } from "@/lib/evidence/get-ledger-status";

const every = (seconds: number) => (seconds % 3600 === 0 ? `${seconds / 3600} h` : seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} s`);

/** The ledger's signing key (public half and fingerprint, for whoever verifies checkpoints) and its newest checkpoint. */
export function LedgerPanel({ status }: { status: TLedgerStatus }) {
  const { key, lastCheckpoint } = status;
  return (
    <section className="panel" aria-labelledby="ledger">
      <h2 id="ledger">Ledger signing key</h2>
      {key.status === "ok" ? (
        <>
          <p>
            <span className="badge ok">signing</span> Every delivery and audit entry is appended to the ledger; a signed checkpoint is written every{" "}
            {every(status.checkpointIntervalSeconds)}. Verify with <code>npx custody ledger verify --public-key &lt;file&gt;</code>.
          </p>
          <dl className="evidence">
            <div>
              <dt>Fingerprint (SHA-256)</dt> <dd className="mono" data-testid="ledger-fingerprint">{key.fingerprint}</dd>
            </div>
          </dl>
          <pre className="raw" aria-label="Ledger public key">
            {key.publicKeyPem}
          </pre>
        </>
      ) : key.status === "missing" ? (
        <p>
          <span className="badge warn">not signing</span> <code>CUSTODY_SIGNING_KEY</code> is not set: the ledger records every delivery and audit entry, but
          no checkpoints are signed, so nothing proves later that the ledger was not rewritten. Create a key with <code>npx custody keygen</code> and set{" "}
          <code>CUSTODY_SIGNING_KEY</code> for the worker.
        </p>
      ) : (
        <p className="error">
          <span className="badge bad">key unusable</span> {key.message}. No checkpoints are written until it is fixed.
        </p>
      )}
      <p>
        {status.entries} ledger entr{status.entries === "1" ? "y" : "ies"};{" "}
        {lastCheckpoint
          ? `newest checkpoint #${lastCheckpoint.number} covers ${lastCheckpoint.treeSize} entries, signed ${lastCheckpoint.createdAt.slice(0, 19).replace("T", " ")} UTC.`
          : "no checkpoint yet."}
      </p>
    </section>
  );
}
