// The filters of the testimony list (status, act, group, place, date range, commission scope), checked with the shared schema.
import { FormProvider, useForm, type Resolver } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { commissionScopes, testimonyStatuses } from '../../../../shared/records/schemas';
import { searchFiltersSchema, type SearchFilters } from '../../../../shared/records/search-schemas';
import { PlaceField } from '../../components/form/PlaceField';
import { SelectField, TextInput, VocabularySelect } from '../../components/form/fields';
import { schemaResolver } from '../../components/form/schema-resolver';

type FilterValues = {
  status: string;
  actType: string;
  affectedGroup: string;
  placeId: string;
  dateFrom: string;
  dateTo: string;
  commissionScope: string;
};

const noFilters: FilterValues = { status: '', actType: '', affectedGroup: '', placeId: '', dateFrom: '', dateTo: '', commissionScope: '' };

/** Only the filters that were set: an empty field means "any". */
function toFilters(v: FilterValues): unknown {
  return Object.fromEntries(Object.entries(v).filter(([, value]) => value.trim() !== ''));
}

const resolver: Resolver<FilterValues, unknown, SearchFilters> = schemaResolver<FilterValues, typeof searchFiltersSchema>(searchFiltersSchema, toFilters);

export function TestimonyFilters({ onApply }: { onApply: (filters: SearchFilters) => void }) {
  const { t } = useTranslation();
  const form = useForm<FilterValues, unknown, SearchFilters>({ resolver, defaultValues: noFilters });
  // The date-order rule spans two fields, so its message is the form's own (root) error.
  const rangeError = form.formState.errors.root?.message;
  const any = t('testimonies.filters.any');
  return (
    <FormProvider {...form}>
      <form className="filters" role="search" aria-labelledby="filters-heading" noValidate onSubmit={(e) => void form.handleSubmit(onApply)(e)}>
        <h2 id="filters-heading">{t('testimonies.filters.heading')}</h2>
        <div className="filter-grid">
          <SelectField<FilterValues>
            name="status"
            label={t('testimonies.filters.status')}
            emptyLabel={any}
            options={testimonyStatuses.map((s) => ({ value: s, label: t(`testimonies.status.${s}`) }))}
          />
          <VocabularySelect<FilterValues> name="actType" vocabulary="actTypes" label={t('testimonies.filters.actType')} emptyLabel={any} />
          <VocabularySelect<FilterValues> name="affectedGroup" vocabulary="affectedGroups" label={t('testimonies.filters.affectedGroup')} emptyLabel={any} />
          <PlaceField<FilterValues> name="placeId" label={t('testimonies.filters.place')} />
          <TextInput<FilterValues> name="dateFrom" type="date" label={t('testimonies.filters.dateFrom')} />
          <TextInput<FilterValues> name="dateTo" type="date" label={t('testimonies.filters.dateTo')} />
          <SelectField<FilterValues>
            name="commissionScope"
            label={t('testimonies.filters.commissionScope')}
            emptyLabel={any}
            options={commissionScopes.map((c) => ({ value: c, label: t(`consent.commissionScope.${c}`) }))}
          />
        </div>
        {rangeError ? <p className="field-error" role="alert">{rangeError}</p> : null}
        <div className="actions">
          <button type="submit">{t('testimonies.filters.apply')}</button>
          <button
            type="button"
            className="secondary"
            onClick={() => {
              form.reset(noFilters);
              onApply({});
            }}
          >
            {t('testimonies.filters.clear')}
          </button>
        </div>
      </form>
    </FormProvider>
  );
}
