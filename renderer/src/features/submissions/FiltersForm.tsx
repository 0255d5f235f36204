// The filters of a new submission: record kinds, act types, period (EDTF), places, affected groups and statuses.
import { useCallback, useId } from 'react';
import { useTranslation } from 'react-i18next';
import { testimonyStatuses } from '../../../../shared/records/schemas';
import { sessionStatuses } from '../../../../shared/records/session-schemas';
import { submissionRecordKinds, type SubmissionFilters } from '../../../../shared/submissions/schemas';
import { Combobox, type ComboOption } from '../../components/form/Combobox';
import { call } from '../../lib/archive-client';
import { placeNameIn, useReference } from '../../lib/reference';

/** As the schema's filters, with the period as typed ('' for none). */
export type FilterState = Omit<SubmissionFilters, 'period'> & { period: string };

type Props = { value: FilterState; onChange: (f: FilterState) => void; disabled: boolean };

/** One checkbox per option, bound to the list of chosen values. */
function Checkboxes<T extends string>({ legend, options, chosen, label, onChange, disabled, hint }: { legend: string; options: readonly T[]; chosen: readonly T[]; label: (o: T) => string; onChange: (next: T[]) => void; disabled: boolean; hint?: string }) {
  const id = useId();
  return (
    <fieldset className="checkbox-group" aria-describedby={hint ? `${id}-hint` : undefined}>
      <legend>{legend}</legend>
      {hint ? (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {options.map((o) => (
        <div className="checkbox" key={o}>
          <input
            id={`${id}-${o}`}
            type="checkbox"
            checked={chosen.includes(o)}
            disabled={disabled}
            onChange={(e) => onChange(e.target.checked ? [...chosen, o] : chosen.filter((x) => x !== o))}
          />
          <label htmlFor={`${id}-${o}`}>{label(o)}</label>
        </div>
      ))}
    </fieldset>
  );
}

export function FiltersForm({ value, onChange, disabled }: Props) {
  const { t, i18n } = useTranslation();
  const ref = useReference();
  const id = useId();
  const set = (patch: Partial<FilterState>) => onChange({ ...value, ...patch });
  const actLabel = (code: string) => {
    const e = ref.entries('actTypes').find((x) => x.code === code);
    return e ? ref.entryLabel(e) : code;
  };

  const searchPlaces = useCallback(
    async (query: string): Promise<ComboOption[]> => {
      const r = await call('places.find', { query: query.slice(0, 200), limit: 10 });
      if (!r.ok) return [];
      return r.value.places.map((p) => ({ value: p.id, label: placeNameIn(p, i18n.language), detail: p.municipality ? ref.placeName(p.municipality) : '' }));
    },
    [i18n.language, ref],
  );

  return (
    <div className="submission-filters">
      <h3>{t('submissions.filters.heading')}</h3>
      <p className="hint">{t('submissions.filters.intro')}</p>
      <Checkboxes legend={t('submissions.filters.kinds')} options={submissionRecordKinds} chosen={value.kinds} label={(k) => t(`submissions.kinds.${k}`)} onChange={(kinds) => set({ kinds })} disabled={disabled} />
      <div className="field">
        <label htmlFor={`${id}-acts`}>{t('submissions.filters.actTypes')}</label>
        <select
          id={`${id}-acts`}
          multiple
          size={6}
          disabled={disabled}
          aria-describedby={`${id}-acts-hint`}
          value={value.actTypes}
          onChange={(e) => set({ actTypes: [...e.target.selectedOptions].map((o) => o.value) })}
        >
          {ref.entries('actTypes').map((e) => (
            <option key={e.code} value={e.code}>
              {ref.entryLabel(e)}
            </option>
          ))}
        </select>
        <p className="hint" id={`${id}-acts-hint`}>
          {value.actTypes.length === 0 ? t('submissions.filters.actTypesHint', { key: 'Ctrl' }) : t('submissions.filters.chosen', { list: value.actTypes.map(actLabel).join(', ') })}
        </p>
      </div>
      <div className="field">
        <label htmlFor={`${id}-period`}>{t('submissions.filters.period')}</label>
        <input id={`${id}-period`} type="text" disabled={disabled} aria-describedby={`${id}-period-hint`} value={value.period} onChange={(e) => set({ period: e.target.value })} />
        <p className="hint" id={`${id}-period-hint`}>
          {t('submissions.filters.periodHint', { a: '1999', b: '1999-03/1999-06' })}
        </p>
      </div>
      <Combobox label={t('submissions.filters.places')} hint={t('submissions.filters.placesHint')} selectedLabel="" search={searchPlaces} onSelect={(o) => (value.placeIds.includes(o.value) ? undefined : set({ placeIds: [...value.placeIds, o.value] }))} />
      {value.placeIds.length > 0 ? (
        <ul className="chosen-places" aria-label={t('submissions.filters.chosenPlaces')}>
          {value.placeIds.map((p) => (
            <li key={p}>
              {ref.placeName(p)}{' '}
              <button type="button" className="secondary small" disabled={disabled} aria-label={t('submissions.filters.removePlace', { place: ref.placeName(p) })} onClick={() => set({ placeIds: value.placeIds.filter((x) => x !== p) })}>
                {t('submissions.filters.remove')}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <Checkboxes
        legend={t('submissions.filters.affectedGroups')}
        hint={t('submissions.filters.noneMeansAll')}
        options={ref.entries('affectedGroups').map((e) => e.code)}
        chosen={value.affectedGroups}
        label={(c) => ref.label('affectedGroups', c)}
        onChange={(affectedGroups) => set({ affectedGroups })}
        disabled={disabled}
      />
      <Checkboxes
        legend={t('submissions.filters.testimonyStatuses')}
        hint={t('submissions.filters.draftsHint')}
        options={testimonyStatuses}
        chosen={value.testimonyStatuses}
        label={(s) => t(`testimonies.status.${s}`)}
        onChange={(testimonyStatuses) => set({ testimonyStatuses })}
        disabled={disabled}
      />
      <Checkboxes
        legend={t('submissions.filters.sessionStatuses')}
        hint={t('submissions.filters.heldHint')}
        options={sessionStatuses}
        chosen={value.sessionStatuses}
        label={(s) => t(`sessions.status.${s}`)}
        onChange={(sessionStatuses) => set({ sessionStatuses })}
        disabled={disabled}
      />
    </div>
  );
}
