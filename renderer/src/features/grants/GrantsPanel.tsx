// "Who can read this" on a restricted record, for directors: its readers, sharing with one more user, and
// revoking a grant (which re-encrypts the content so the revoked copy of the key no longer opens it).
import { useCallback, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorInfo } from '../../../../shared/errors';
import type { MethodOutput, UserView } from '../../../../shared/ipc/contract';
import type { RecordKind } from '../../app/navigation';
import { useAllowed } from '../../app/session-context';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorMessage } from '../../components/ErrorMessage';
import { call } from '../../lib/archive-client';

type Reader = MethodOutput<'records.readers'>['readers'][number];
/** One row per user: a director who also recorded the record reads it both ways. */
type ReaderRow = { userId: string; username: string | null; via: Array<Reader['via']> };

function rowsOf(readers: readonly Reader[]): ReaderRow[] {
  const rows = new Map<string, ReaderRow>();
  for (const r of readers) {
    const row = rows.get(r.userId);
    if (row) row.via.push(r.via);
    else rows.set(r.userId, { userId: r.userId, username: r.username, via: [r.via] });
  }
  return [...rows.values()];
}
type Props = { kind: RecordKind; id: string; restricted: boolean };

/** Shown only on a restricted record, and only to users the policy lets see its readers. */
export function GrantsPanel({ kind, id, restricted }: Props) {
  const mayRead = useAllowed('records.readers');
  if (!restricted || !mayRead) return null;
  return <Readers kind={kind} id={id} />;
}

function Readers({ kind, id }: { kind: RecordKind; id: string }) {
  const { t } = useTranslation();
  const mayGrant = useAllowed('records.grant');
  const mayRevoke = useAllowed('records.revoke');
  const mayListUsers = useAllowed('users.list');
  const selectId = useId();
  const [readers, setReaders] = useState<Reader[] | null>(null);
  const [restricted, setRestricted] = useState(true);
  const [users, setUsers] = useState<UserView[]>([]);
  const [choice, setChoice] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [notice, setNotice] = useState('');
  const [revoking, setRevoking] = useState<ReaderRow | null>(null);

  const load = useCallback(async () => {
    const [r, u] = await Promise.all([call('records.readers', { kind, id }), mayListUsers ? call('users.list', {}) : null]);
    if (!r.ok) {
      setError(r.error);
      return;
    }
    setRestricted(r.value.restricted);
    setReaders(r.value.readers);
    if (u?.ok) setUsers(u.value.users);
  }, [kind, id, mayListUsers]);

  useEffect(() => {
    void load();
  }, [load]);

  if (!restricted) return null;

  const userById = new Map(users.map((u) => [u.id, u]));
  /** "Display name (username)" when the account is known; the bare id for a reader whose account is gone. */
  const nameOf = (userId: string, username: string | null) => {
    const u = userById.get(userId);
    if (u) return `${u.displayName} (${u.username})`;
    return username ?? t('grants.unknownUser', { id: userId });
  };
  const readerIds = new Set((readers ?? []).map((r) => r.userId));
  const candidates = users.filter((u) => !u.disabled && !readerIds.has(u.id));
  const chosen = candidates.find((u) => u.id === choice) ?? null;

  const grant = async () => {
    if (!chosen || busy) return;
    setBusy(true);
    setError(null);
    setNotice('');
    const r = await call('records.grant', { kind, id, userId: chosen.id });
    setBusy(false);
    if (!r.ok) {
      setError(r.error);
      return;
    }
    setChoice('');
    setNotice(t('grants.shared', { name: nameOf(chosen.id, chosen.username) }));
    await load();
  };

  const revoke = async (reader: ReaderRow) => {
    setRevoking(null);
    setBusy(true);
    setError(null);
    setNotice('');
    const r = await call('records.revoke', { kind, id, userId: reader.userId });
    setBusy(false);
    if (!r.ok) {
      setError(r.error);
      return;
    }
    setNotice(t('grants.revoked', { name: nameOf(reader.userId, reader.username) }));
    await load();
  };

  const headingId = `grants-heading-${kind}`;
  return (
    <section aria-labelledby={headingId} className="grants-panel">
      <h2 id={headingId}>{t('grants.heading')}</h2>
      <p className="hint">{t(`grants.intro.${kind}`)}</p>
      <ErrorMessage error={error} />
      <p className="notice-line" role="status">
        {notice}
      </p>
      {readers === null && !error ? <p aria-live="polite">{t('app.loading')}</p> : null}
      {readers ? (
        <table className="readers-table" aria-labelledby={headingId}>
          <thead>
            <tr>
              <th scope="col">{t('grants.user')}</th>
              <th scope="col">{t('grants.access')}</th>
              {mayRevoke ? <th scope="col">{t('grants.actions')}</th> : null}
            </tr>
          </thead>
          <tbody>
            {rowsOf(readers).map((row) => {
              const name = nameOf(row.userId, row.username);
              // Only a reader who holds access by a grant alone can lose it: authors and directors always read.
              const grantOnly = row.via.every((v) => v === 'grant');
              return (
                <tr key={row.userId}>
                  <th scope="row">{name}</th>
                  <td>{row.via.map((v) => t(`grants.via.${v}`)).join(', ')}</td>
                  {mayRevoke ? (
                    <td>
                      {grantOnly ? (
                        <button type="button" className="secondary small" disabled={busy} aria-label={t('grants.revokeFor', { name })} onClick={() => setRevoking(row)}>
                          {t('grants.revoke')}
                        </button>
                      ) : (
                        <span className="hint">{t('grants.always')}</span>
                      )}
                    </td>
                  ) : null}
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
      {mayGrant && mayListUsers && readers ? (
        candidates.length === 0 ? (
          <p className="hint">{t('grants.nobodyElse')}</p>
        ) : (
          <form
            className="share-form"
            aria-labelledby={`${headingId}-share`}
            onSubmit={(e) => {
              e.preventDefault();
              void grant();
            }}
          >
            <h3 id={`${headingId}-share`}>{t('grants.shareHeading')}</h3>
            <div className="field">
              <label htmlFor={selectId}>{t('grants.shareWith')}</label>
              <select id={selectId} value={choice} aria-describedby={`${selectId}-hint`} onChange={(e) => setChoice(e.target.value)}>
                <option value="">{t('grants.choose')}</option>
                {candidates.map((u) => (
                  <option key={u.id} value={u.id}>
                    {`${u.displayName} (${u.username}), ${t(`roles.${u.role}`)}`}
                  </option>
                ))}
              </select>
              <p className="hint" id={`${selectId}-hint`}>
                {t('grants.shareHint')}
              </p>
            </div>
            <button type="submit" disabled={!chosen || busy}>
              {t('grants.share')}
            </button>
          </form>
        )
      ) : null}
      {revoking ? (
        <ConfirmDialog
          title={t('grants.revokeTitle', { name: nameOf(revoking.userId, revoking.username) })}
          body={t('grants.revokeBody', { name: nameOf(revoking.userId, revoking.username) })}
          confirmLabel={t('grants.revokeConfirm')}
          cancelLabel={t('grants.revokeCancel')}
          onConfirm={() => void revoke(revoking)}
          onCancel={() => setRevoking(null)}
        />
      ) : null}
    </section>
  );
}
