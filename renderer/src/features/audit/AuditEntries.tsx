// The audit log's entries, newest first, in pages as the user scrolls; filters, and a click on a user narrows to them.
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Result } from '../../../../shared/errors';
import type { AuditEntryView } from '../../../../shared/ipc/contract';
import { recordIdSchema } from '../../../../shared/records/schemas';
import { PagedList, type Page } from '../../components/PagedList';
import { call } from '../../lib/archive-client';
import { AuditFilters, noAuditFilter, type AuditFilter } from './AuditFilters';
import { detailText, useAuditWords } from './audit-words';

const pageSize = 100;

type Actor = { id: string; name: string };

export function AuditEntries() {
  const { t } = useTranslation();
  const [filter, setFilter] = useState<AuditFilter>(noAuditFilter);
  const [actor, setActor] = useState<Actor | null>(null);

  const fetchPage = useCallback(
    async (cursor: string | null): Promise<Result<Page<AuditEntryView>>> => {
      const r = await call('audit.list', { before: cursor === null ? null : Number(cursor), limit: pageSize, actor: actor?.id ?? null, ...filter });
      if (!r.ok) return r;
      return { ok: true, value: { items: r.value.items, nextCursor: r.value.nextBefore === null ? null : String(r.value.nextBefore) } };
    },
    [filter, actor],
  );

  return (
    <section aria-labelledby="audit-entries-heading">
      <h2 id="audit-entries-heading">{t('audit.entries.heading')}</h2>
      <AuditFilters onApply={setFilter} />
      {actor ? (
        <p className="notice audit-actor-filter">
          {t('audit.entries.onlyActor', { name: actor.name })}{' '}
          <button type="button" className="secondary small" onClick={() => setActor(null)}>
            {t('audit.entries.allActors')}
          </button>
        </p>
      ) : null}
      <PagedList<AuditEntryView>
        label={t('audit.entries.label')}
        fetchPage={fetchPage}
        itemKey={(e) => String(e.seq)}
        estimateSize={72}
        empty={t('audit.entries.empty')}
        renderItem={(e) => <EntryRow entry={e} onActor={setActor} />}
      />
    </section>
  );
}

function EntryRow({ entry, onActor }: { entry: AuditEntryView; onActor: (actor: Actor) => void }) {
  const { t } = useTranslation();
  const words = useAuditWords();
  const actorId = entry.actor;
  const actorName = entry.actorName ?? actorId;
  // The filter takes a user id; an actor that is not one (a damaged entry) is shown but not offered as a filter.
  const filterable = actorId !== null && recordIdSchema.safeParse(actorId).success;
  const detail = detailText(entry.detail);
  return (
    <div className="audit-row">
      <p className="audit-row-head">
        <span className="audit-action">{words.action(entry.action)}</span>
        <time dateTime={entry.at}>{words.when(entry.at)}</time>
        <span className="hint">{t('audit.entries.number', { n: entry.seq })}</span>
      </p>
      <p className="audit-row-facts">
        <span>
          <span className="audit-label">{t('audit.entries.user')}</span>{' '}
          {actorId === null || actorName === null ? (
            t('audit.entries.system')
          ) : filterable ? (
            <button type="button" className="link" aria-label={t('audit.entries.filterActor', { name: actorName })} onClick={() => onActor({ id: actorId, name: actorName })}>
              {actorName}
            </button>
          ) : (
            actorName
          )}
        </span>
        {entry.subjectId !== null || entry.subjectKind !== null ? (
          <span>
            <span className="audit-label">{t('audit.entries.subject')}</span> {entry.subjectKind !== null ? words.subjectKind(entry.subjectKind) : null}{' '}
            {entry.subjectId !== null ? <code className="audit-id">{entry.subjectId}</code> : null}
          </span>
        ) : null}
        {detail ? (
          <span>
            <span className="audit-label">{t('audit.entries.detail')}</span> <code className="audit-detail">{detail}</code>
          </span>
        ) : null}
      </p>
    </div>
  );
}
