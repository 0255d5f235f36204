// The audit log's filters (action, record id, date range); a bad record id or reversed dates are named, not sent.
import { useMemo } from 'react';
import { FormProvider, useForm, type Resolver } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { recordIdSchema } from '../../../../shared/records/schemas';
import { SelectField, TextInput } from '../../components/form/fields';
import { auditActions, useAuditWords } from './audit-words';

export type AuditFilter = { action: string | null; subjectId: string | null; from: string | null; to: string | null };
type FilterValues = { action: string; subjectId: string; from: string; to: string };

export const noAuditFilter: AuditFilter = { action: null, subjectId: null, from: null, to: null };
const empty: FilterValues = { action: '', subjectId: '', from: '', to: '' };
const orNull = (s: string) => (s.trim() === '' ? null : s.trim());

export function AuditFilters({ onApply }: { onApply: (filter: AuditFilter) => void }) {
  const { t } = useTranslation();
  const words = useAuditWords();
  const resolver = useMemo<Resolver<FilterValues, unknown, AuditFilter>>(
    () => async (v) => {
      const filter: AuditFilter = { action: orNull(v.action), subjectId: orNull(v.subjectId), from: orNull(v.from), to: orNull(v.to) };
      const errors: Record<string, { type: string; message: string }> = {};
      if (filter.subjectId !== null && !recordIdSchema.safeParse(filter.subjectId).success) errors['subjectId'] = { type: 'format', message: t('audit.filters.badSubjectId') };
      if (filter.from !== null && filter.to !== null && filter.from > filter.to) errors['to'] = { type: 'order', message: t('validation.dateOrder') };
      return Object.keys(errors).length > 0 ? { values: {}, errors } : { values: filter, errors: {} };
    },
    [t],
  );
  const form = useForm<FilterValues, unknown, AuditFilter>({ resolver, defaultValues: empty });
  return (
    <FormProvider {...form}>
      <form className="audit-filters" role="search" aria-labelledby="audit-filters-heading" noValidate onSubmit={(e) => void form.handleSubmit(onApply)(e)}>
        <h3 id="audit-filters-heading">{t('audit.filters.heading')}</h3>
        <div className="filter-grid">
          <SelectField<FilterValues>
            name="action"
            label={t('audit.filters.action')}
            emptyLabel={t('audit.filters.any')}
            options={auditActions.map((a) => ({ value: a, label: words.action(a) }))}
          />
          <TextInput<FilterValues> name="subjectId" label={t('audit.filters.subjectId')} hint={t('audit.filters.subjectIdHint')} />
          <TextInput<FilterValues> name="from" type="date" label={t('audit.filters.from')} />
          <TextInput<FilterValues> name="to" type="date" label={t('audit.filters.to')} />
        </div>
        <div className="actions">
          <button type="submit">{t('audit.filters.apply')}</button>
          <button
            type="button"
            className="secondary"
            onClick={() => {
              form.reset(empty);
              onApply(noAuditFilter);
            }}
          >
            {t('audit.filters.clear')}
          </button>
        </div>
      </form>
    </FormProvider>
  );
}
