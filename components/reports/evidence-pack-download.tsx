/** The download of a signed evidence pack for the period and environments chosen above it. */
export function EvidencePackDownload({ from, to, environment }: { from: string; to: string; environment: string }) {
  const params = new URLSearchParams({ from, to });
  if (environment.trim()) params.set("environment", environment.trim());
  return (
    <section className="panel" aria-labelledby="evidence-pack">
      <h2 id="evidence-pack">Evidence pack</h2>
      <p className="muted">
        One signed zip for the period: the three reports, every delivery received in it (exact bytes and headers), its ledger inclusion proof, the
        signed checkpoint and a manifest with the SHA-256 of every file. Check it anywhere with <code>node verify-pack.mjs pack.zip --key &lt;fingerprint&gt;</code>{" "}
        (the script is inside) or <code>npx custody verify</code>, pinning the key fingerprint shown in Settings.
      </p>
      <p>
        <a className="button" href={`/api/v1/evidence?${params}`} download>
          Download evidence pack (.zip)
        </a>
      </p>
    </section>
  );
}
