import "server-only";
import type pg from "pg";

export type TLinkPassResult = { peopleCreated: number; gitlabLinked: number; buildkiteLinked: number };

type TCandidate = { account_id: string; email: string; person_id: string; method: "sso_verified_email" | "email_match"; evidence: Record<string, unknown> };

const MANUAL = ["admin", "admin_unlinked"];

/**
 * One idempotent linking pass over every account, in one transaction under one advisory lock (so
 * concurrent workers never give one account two people):
 *
 * 1. a GitLab user who signed in to Custody gets an account row (subject = GitLab user id);
 * 2. every GitLab account without a person gets its own person ("gitlab_user_id", strong); a
 *    signed-in user with the same id is noted in the evidence;
 * 3. a Buildkite account whose email equals the email GitLab SSO gave a signed-in user joins that
 *    user's person ("sso_verified_email", strong; also upgrades an earlier weak link);
 * 4. otherwise one whose email equals a GitLab account's public email, or the author email of commits
 *    that GitLab account pushed or put in its merge requests, joins that person ("email_match",
 *    evidence marked weak).
 *
 * An email that points at more than one person links nothing. Names are never compared. Accounts an
 * admin mapped or unlinked are never touched. With `onlyIfPending` (the ingest worker) the pass is
 * skipped when no GitLab account and no Buildkite account with an email lacks a person; an SSO
 * email only arrives at sign-in, which runs the full pass.
 */
export async function linkAccounts(pool: pg.Pool, options: { onlyIfPending?: boolean } = {}): Promise<TLinkPassResult> {
  if (options.onlyIfPending) {
    const { rows } = await pool.query<{ pending: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM account WHERE person_id IS NULL AND (link_method IS NULL OR link_method <> ALL($1::text[]))
         AND (system = 'gitlab' OR (system = 'buildkite' AND email IS NOT NULL))) AS pending`,
      [MANUAL],
    );
    if (!rows[0]!.pending) return { peopleCreated: 0, gitlabLinked: 0, buildkiteLinked: 0 };
  }
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock(hashtextextended('custody:link-accounts', 0))");
    await client.query(
      `INSERT INTO account (id, system, external_id, username, name)
       SELECT gen_random_uuid(), 'gitlab', u.subject, u.username, u.name FROM app_user u WHERE u.provider = 'gitlab'
       ON CONFLICT (system, external_id) DO NOTHING`,
    );
    const created = await client.query(
      `WITH todo AS MATERIALIZED (
         SELECT gen_random_uuid() AS person_id, a.id, a.external_id, COALESCE(a.name, a.username, u.name, u.username, 'GitLab user ' || a.external_id) AS display,
                u.id AS user_id, u.username AS user_name
         FROM account a LEFT JOIN app_user u ON u.provider = 'gitlab' AND u.subject = a.external_id
         WHERE a.system = 'gitlab' AND a.person_id IS NULL AND (a.link_method IS NULL OR a.link_method <> ALL($1::text[]))
       ), people AS (
         -- Millisecond precision: the keyset cursor of the people list carries a JavaScript Date.
         INSERT INTO person (id, display_name, created_at) SELECT person_id, display, date_trunc('milliseconds', now()) FROM todo
       )
       UPDATE account a SET person_id = t.person_id, link_method = 'gitlab_user_id',
         link_evidence = jsonb_strip_nulls(jsonb_build_object(
           'strength', 'strong', 'gitlabUserId', t.external_id, 'at', now(),
           'ssoUserId', t.user_id, 'ssoUsername', t.user_name,
           'note', CASE WHEN t.user_id IS NULL THEN 'one GitLab user id is one person' ELSE 'one GitLab user id is one person; the same sso user id signed in to Custody' END))
       FROM todo t WHERE a.id = t.id`,
      [MANUAL],
    );
    // A GitLab account linked before its user first signed in: note the sso user id in its evidence.
    await client.query(
      `UPDATE account a SET link_evidence = a.link_evidence || jsonb_build_object('ssoUserId', u.id, 'ssoUsername', u.username,
         'note', 'one GitLab user id is one person; the same sso user id signed in to Custody')
       FROM app_user u WHERE u.provider = 'gitlab' AND u.subject = a.external_id AND a.system = 'gitlab'
         AND a.link_method = 'gitlab_user_id' AND NOT (a.link_evidence ? 'ssoUserId')`,
    );
    const { rows } = await client.query<TCandidate>(
      `WITH pending AS (
         SELECT id, lower(email) AS email FROM account
         WHERE system = 'buildkite' AND email IS NOT NULL
           AND ((person_id IS NULL AND (link_method IS NULL OR link_method <> ALL($1::text[]))) OR link_method = 'email_match')
       ), sso AS (
         SELECT o.id AS account_id, o.email, g.person_id, 'sso_verified_email' AS method,
                jsonb_build_object('strength', 'strong', 'matched', o.email, 'ssoUserId', u.id, 'ssoUsername', u.username, 'gitlabUserId', g.external_id,
                  'note', 'the Buildkite email is the email GitLab SSO gave this user at sign-in') AS evidence
         FROM pending o JOIN app_user u ON u.provider = 'gitlab' AND lower(u.email) = o.email
         JOIN account g ON g.system = 'gitlab' AND g.external_id = u.subject AND g.person_id IS NOT NULL
       ), public_email AS (
         SELECT o.id AS account_id, o.email, g.person_id, 'email_match' AS method,
                jsonb_build_object('strength', 'weak', 'matched', o.email, 'via', 'public GitLab email', 'gitlabUserId', g.external_id,
                  'note', 'the same email was seen on both sides; neither side verified it') AS evidence
         FROM pending o JOIN account g ON g.system = 'gitlab' AND lower(g.email) = o.email AND g.person_id IS NOT NULL
       ), authored AS (
         SELECT g.id AS gitlab_id, g.external_id, g.person_id, lower(c.author_email) AS email, min(c.sha) AS sha
         FROM account g
         JOIN LATERAL (
           SELECT c.sha, c.author_email FROM timeline_event t JOIN commit c ON c.sha = ANY(t.refs)
           WHERE t.account_id = g.id AND t.kind = 'push'
           UNION ALL
           SELECT c.sha, c.author_email FROM merge_request m JOIN merge_request_commit mc ON mc.merge_request_id = m.id JOIN commit c ON c.sha = mc.sha
           WHERE m.author_account_id = g.id
         ) c ON true
         WHERE g.system = 'gitlab' AND g.person_id IS NOT NULL AND c.author_email IS NOT NULL
           AND lower(c.author_email) IN (SELECT email FROM pending)
         GROUP BY g.id, g.external_id, g.person_id, lower(c.author_email)
       ), commit_email AS (
         SELECT o.id AS account_id, o.email, a.person_id, 'email_match' AS method,
                jsonb_build_object('strength', 'weak', 'matched', o.email, 'via', 'commit author email', 'sha', a.sha, 'gitlabUserId', a.external_id,
                  'note', 'the same email was seen on both sides; neither side verified it') AS evidence
         FROM pending o JOIN authored a ON a.email = o.email
       )
       SELECT * FROM sso UNION ALL SELECT * FROM public_email UNION ALL SELECT * FROM commit_email`,
      [MANUAL],
    );
    const byAccount = new Map<string, TCandidate[]>();
    for (const row of rows) byAccount.set(row.account_id, [...(byAccount.get(row.account_id) ?? []), row]);
    let buildkiteLinked = 0;
    for (const [accountId, candidates] of byAccount) {
      const strong = candidates.filter((c) => c.method === "sso_verified_email");
      const pick = strong.length ? strong : candidates;
      // An email shared by two people proves nothing about either.
      if (new Set(pick.map((c) => c.person_id)).size !== 1) continue;
      const chosen = pick[0]!;
      const result = await client.query(
        `UPDATE account SET person_id = $2, link_method = $3, link_evidence = $4::jsonb || jsonb_build_object('at', now())
         WHERE id = $1 AND (person_id IS DISTINCT FROM $2 OR link_method IS DISTINCT FROM $3)`,
        [accountId, chosen.person_id, chosen.method, JSON.stringify(chosen.evidence)],
      );
      buildkiteLinked += result.rowCount ?? 0;
    }
    await client.query("COMMIT");
    return { peopleCreated: created.rowCount ?? 0, gitlabLinked: created.rowCount ?? 0, buildkiteLinked };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
