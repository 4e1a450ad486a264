"use client";
import { useMemo, useState } from "react";
import { EvidencePackDownload } from "@/components/reports/evidence-pack-download";
import { BackgroundExports } from "./background-exports.tsx";

const reports = [
  { name: "change-management", title: "Change management", lede: "Every deployment with its merge request, approvers, merger, CI results, gates, deployer, credentials and findings (SOC 2 CC8.1, ISO 27001 A.8.32)." },
  { name: "credentials", title: "Credentials and access", lede: "Short-lived OIDC credentials and AWS role sessions per environment and person, with lifetimes and findings." },
  { name: "completeness", title: "Ingest completeness", lede: "Deliveries per source and day, hours with none, late arrivals, failed and invalid deliveries, refused requests. Ignores the environment filter." },
] as const;

const dayStart = (offsetDays: number) => {
  const d = new Date();
  d.setUTCHours(0, 0, 0, 0);
  d.setUTCDate(d.getUTCDate() + offsetDays);
  return d.toISOString().slice(0, 10);
};

/** Filters (UTC days, end day included) and a download link per report and format. */
export function ReportDownloads() {
  const [from, setFrom] = useState(() => dayStart(-30));
  const [to, setTo] = useState(() => dayStart(0));
  const [environment, setEnvironment] = useState("");
  const error = useMemo(() => (!from || !to ? "Choose both days." : from > to ? "The first day must not be after the last day." : null), [from, to]);
  const period = useMemo(() => {
    const end = new Date(`${to || from}T00:00:00Z`);
    if (Number.isNaN(end.getTime())) return { from: "", to: "" };
    end.setUTCDate(end.getUTCDate() + 1);
    return { from: `${from}T00:00:00Z`, to: end.toISOString(), ...(environment.trim() ? { environment: environment.trim() } : {}) };
  }, [from, to, environment]);
  const href = (name: string, format: string) => {
    const params = new URLSearchParams({ from: period.from, to: period.to, format });
    if (period.environment) params.set("environment", period.environment);
    return `/api/v1/reports/${name}?${params}`;
  };
  return (
    <>
      <section className="panel" aria-labelledby="report-filters">
        <h2 id="report-filters">Period and environments</h2>
        <form className="filters" onSubmit={(e) => e.preventDefault()}>
          <label>
            First day (UTC) <input type="date" name="from" value={from} onChange={(e) => setFrom(e.target.value)} required />
          </label>
          <label>
            Last day (UTC) <input type="date" name="to" value={to} onChange={(e) => setTo(e.target.value)} required />
          </label>
          <label>
            Environments <input type="text" name="environment" placeholder="all, or e.g. production,staging" value={environment} onChange={(e) => setEnvironment(e.target.value)} />
          </label>
        </form>
        {error ? <p className="error" role="alert">{error}</p> : null}
      </section>
      {reports.map((report) => (
        <section key={report.name} className="panel" aria-labelledby={`report-${report.name}`}>
          <h2 id={`report-${report.name}`}>{report.title}</h2>
          <p className="muted">{report.lede}</p>
          {error ? null : (
            <p>
              Download:{" "}
              {(["csv", "json", "pdf"] as const).map((format, i) => (
                <span key={format}>
                  {i ? " · " : ""}
                  <a href={href(report.name, format)} download>
                    {format.toUpperCase()}
                  </a>
                </span>
              ))}
            </p>
          )}
        </section>
      ))}
      {error ? null : <EvidencePackDownload from={`${from}T00:00:00Z`} to={new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000).toISOString()} environment={environment} />}
      <BackgroundExports reports={reports} params={period} disabled={Boolean(error)} />
    </>
  );
}
