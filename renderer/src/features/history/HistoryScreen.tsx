// A record's revisions (who changed what, when) and the field-by-field difference between any two of them.
import { useEffect, useId, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorInfo } from '../../../../shared/errors';
import type { MethodOutput } from '../../../../shared/ipc/contract';
import { diffRecords, type DiffEntry, type DiffPath } from '../../../../shared/records/diff';
import type { VocabularyName } from '../../../../shared/reference/schema';
import { useNavigation, type RecordKind } from '../../app/navigation';
import { ErrorMessage } from '../../components/ErrorMessage';
import { call } from '../../lib/archive-client';
import { useReference } from '../../lib/reference';
import { personName } from '../persons/person-name';

type Revision = MethodOutput<'testimonies.history'>['revisions'][number];
type State = Record<string, unknown>;

async function historyOf(kind: RecordKind, id: string) {
  if (kind === 'testimony') return call('testimonies.history', { id });
  if (kind === 'session') return call('sessions.history', { id });
  return call('persons.history', { id });
}

async function stateAt(kind: RecordKind, id: string, revision: number) {
  if (kind === 'testimony') return call('testimonies.atRevision', { id, revision });
  if (kind === 'session') return call('sessions.atRevision', { id, revision });
  return call('persons.atRevision', { id, revision });
}

/** Fields holding a vocabulary code (or a list of codes), shown with their label. */
const vocabularyOf: Readonly<Record<string, VocabularyName>> = {
  actType: 'actTypes',
  affectedGroups: 'affectedGroups',
  ethnicity: 'ethnicities',
  perpetratorType: 'perpetratorTypes',
  victimOutcome: 'victimOutcomes',
  role: 'participantRoles',
  mode: 'testimonyModes',
  sex: 'sexes',
  anonymityLevel: 'anonymityLevels',
  language: 'languages',
};
const placeFields = new Set(['placeId', 'residencePlaceId']);
const personFields = new Set(['deponentId', 'victimId', 'personId']);

/** Long texts (narratives, minutes) are shown whole in a box that scrolls, reachable by keyboard. */
const longText = 240;

/** A person referred to by id, shown by name once loaded (the id stays visible when the name is sealed). */
function PersonRef({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const [name, setName] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void call('persons.get', { id }).then((r) => {
      if (live) setName(r.ok ? personName(r.value.names, i18n.language) || t('persons.restrictedName') : null);
    });
    return () => {
      live = false;
    };
  }, [id, i18n.language, t]);
  return (
    <span>
      {name ?? id}
      {name ? <span className="hint"> ({id})</span> : null}
    </span>
  );
}

function useFieldLabel() {
  const { t } = useTranslation();
  return (key: string) => t(`history.fields.${key}`, { defaultValue: key });
}

function PathLabel({ path }: { path: DiffPath }) {
  const { t } = useTranslation();
  const field = useFieldLabel();
  return <>{path.map((p) => (typeof p === 'number' ? t('history.item', { n: p + 1 }) : field(p))).join(' › ')}</>;
}

/** One value of a record, readable: labels for codes and places, names for people, objects as nested lists. */
function Value({ field, value }: { field: string | undefined; value: unknown }) {
  const { t } = useTranslation();
  const ref = useReference();
  const label = useFieldLabel();
  if (value === undefined) return <span className="hint">{t('history.absent')}</span>;
  if (value === null || value === '') return <span className="hint">{t('history.empty')}</span>;
  if (typeof value === 'boolean') return <>{value ? t('history.yes') : t('history.no')}</>;
  if (typeof value === 'number') return <>{value}</>;
  if (typeof value === 'string') {
    if (field && placeFields.has(field)) return <>{ref.placeName(value)}</>;
    if (field && personFields.has(field)) return <PersonRef id={value} />;
    const vocabulary = field ? vocabularyOf[field] : undefined;
    if (vocabulary) return <>{ref.label(vocabulary, value)}</>;
    // A person's status is a victimOutcomes code; testimony and session statuses never collide with those codes.
    if (field === 'status' && ref.entries('victimOutcomes').some((e) => e.code === value)) return <>{ref.label('victimOutcomes', value)}</>;
    if (field === 'status') return <>{t(`search.status.${value}`, { defaultValue: value })}</>;
    if (field === 'commission') return <>{t(`consent.commissionScope.${value}`, { defaultValue: value })}</>;
    return value.length > longText || value.includes('\n') ? (
      <div className="long-text scroll-box" tabIndex={0} role="region" aria-label={field ? label(field) : t('history.text')}>
        {value}
      </div>
    ) : (
      <span className="long-text">{value}</span>
    );
  }
  if (Array.isArray(value)) {
    const items: readonly unknown[] = value;
    if (items.length === 0) return <span className="hint">{t('history.none')}</span>;
    return (
      <ol className="diff-list">
        {items.map((v, i) => (
          <li key={i}>
            <Value field={field} value={v} />
          </li>
        ))}
      </ol>
    );
  }
  if (typeof value === 'object') {
    return (
      <dl className="diff-object">
        {Object.entries(value as Record<string, unknown>).map(([k, v]) => (
          <Entry key={k} term={label(k)}>
            <Value field={k} value={v} />
          </Entry>
        ))}
      </dl>
    );
  }
  return <>{JSON.stringify(value)}</>;
}

function Entry({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function DiffTable({ entries, from, to }: { entries: DiffEntry[]; from: number; to: number }) {
  const { t } = useTranslation();
  if (entries.length === 0) return <p className="notice">{t('history.noDifference')}</p>;
  return (
    <table className="diff-table">
      <caption>{t('history.diffCaption', { from, to })}</caption>
      <thead>
        <tr>
          <th scope="col">{t('history.field')}</th>
          <th scope="col">{t('history.revisionN', { n: from })}</th>
          <th scope="col">{t('history.revisionN', { n: to })}</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((e) => {
          const field = [...e.path].reverse().find((p): p is string => typeof p === 'string');
          return (
            <tr key={e.path.join('.')} className={`diff-${e.kind}`}>
              <th scope="row">
                <PathLabel path={e.path} />
                {e.kind !== 'changed' ? <span className="hint"> ({t(`history.${e.kind}`)})</span> : null}
              </th>
              <td className="diff-before">
                <Value field={field} value={e.before} />
              </td>
              <td className="diff-after">
                <Value field={field} value={e.after} />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export function HistoryScreen({ kind, id }: { kind: RecordKind; id: string }) {
  const { t, i18n } = useTranslation();
  const { navigate } = useNavigation();
  const field = useFieldLabel();
  const fromId = useId();
  const toId = useId();
  const [revisions, setRevisions] = useState<Revision[] | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [pair, setPair] = useState<{ from: number; to: number } | null>(null);
  const [states, setStates] = useState<{ from: number; to: number; before: State; after: State } | null>(null);
  const [diffError, setDiffError] = useState<ErrorInfo | null>(null);

  useEffect(() => {
    let live = true;
    void historyOf(kind, id).then((r) => {
      if (!live) return;
      if (!r.ok) {
        setError(r.error);
        return;
      }
      const list = r.value.revisions;
      setRevisions(list);
      const last = list.at(-1);
      // The last two revisions by default: what changed most recently.
      if (last && list.length > 1) setPair({ from: list.at(-2)?.revision ?? last.revision, to: last.revision });
    });
    return () => {
      live = false;
    };
  }, [kind, id]);

  useEffect(() => {
    if (!pair) return;
    let live = true;
    setDiffError(null);
    void Promise.all([stateAt(kind, id, pair.from), stateAt(kind, id, pair.to)]).then(([a, b]) => {
      if (!live) return;
      if (!a.ok) setDiffError(a.error);
      else if (!b.ok) setDiffError(b.error);
      else setStates({ ...pair, before: a.value.state, after: b.value.state });
    });
    return () => {
      live = false;
    };
  }, [kind, id, pair]);

  const when = (iso: string) => new Date(iso).toLocaleString(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });
  const shown = states && pair && states.from === pair.from && states.to === pair.to ? states : null;

  return (
    <section aria-labelledby="screen-heading">
      <h1 id="screen-heading">{t('history.heading')}</h1>
      <p>
        <button type="button" className="link" onClick={() => navigate({ name: kind, id })}>
          {t(`history.backTo.${kind}`)}
        </button>
      </p>
      <ErrorMessage error={error} />
      {!revisions && !error ? <p aria-live="polite">{t('app.loading')}</p> : null}
      {revisions ? (
        <>
          <table className="revisions-table">
            <caption>{t('history.revisions')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('history.revision')}</th>
                <th scope="col">{t('history.action')}</th>
                <th scope="col">{t('history.when')}</th>
                <th scope="col">{t('history.by')}</th>
                <th scope="col">{t('history.changed')}</th>
              </tr>
            </thead>
            <tbody>
              {[...revisions].reverse().map((r) => (
                <tr key={r.revision}>
                  <th scope="row">{r.revision}</th>
                  <td>{t(`history.actions.${r.action}`)}</td>
                  <td>
                    <time dateTime={r.at}>{when(r.at)}</time>
                  </td>
                  <td>{r.by}</td>
                  <td>{r.action === 'create' ? t('history.created') : r.changed.map(field).join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>{t('history.compare')}</h2>
          {revisions.length < 2 || !pair ? (
            <p className="hint">{t('history.onlyOne')}</p>
          ) : (
            <>
              <div className="compare-pickers">
                <div className="field">
                  <label htmlFor={fromId}>{t('history.compareFrom')}</label>
                  <select id={fromId} value={pair.from} onChange={(e) => setPair({ ...pair, from: Number(e.target.value) })}>
                    {revisions.map((r) => (
                      <option key={r.revision} value={r.revision}>
                        {t('history.revisionOption', { n: r.revision, action: t(`history.actions.${r.action}`), when: when(r.at) })}
                      </option>
                    ))}
                  </select>
                </div>
                <div className="field">
                  <label htmlFor={toId}>{t('history.compareTo')}</label>
                  <select id={toId} value={pair.to} onChange={(e) => setPair({ ...pair, to: Number(e.target.value) })}>
                    {revisions.map((r) => (
                      <option key={r.revision} value={r.revision}>
                        {t('history.revisionOption', { n: r.revision, action: t(`history.actions.${r.action}`), when: when(r.at) })}
                      </option>
                    ))}
                  </select>
                </div>
              </div>
              <ErrorMessage error={diffError} />
              {shown ? <DiffTable entries={diffRecords(shown.before, shown.after)} from={shown.from} to={shown.to} /> : diffError ? null : <p aria-live="polite">{t('app.loading')}</p>}
            </>
          )}
        </>
      ) : null}
    </section>
  );
}
