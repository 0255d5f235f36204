// Chooses an existing person for a form field (the person's id, or '' for none) by searching names in any script.
import { useCallback, useEffect, useState } from 'react';
import { useController, useFormContext, type FieldValues, type Path } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { call } from '../../lib/archive-client';
import { Combobox, type ComboOption } from '../../components/form/Combobox';
import { useFieldError } from '../../components/form/fields';

/** A person's display name: the form in the UI's script first, then any other form. */
export function personName(names: { sq: string | null; srLatn: string | null; srCyrl: string | null }, lng: string): string {
  const order = lng === 'sr-Cyrl' ? [names.srCyrl, names.srLatn, names.sq] : lng === 'sr-Latn' ? [names.srLatn, names.srCyrl, names.sq] : [names.sq, names.srLatn, names.srCyrl];
  return order.find((n) => n) ?? '';
}

export function PersonPicker<V extends FieldValues>({ name, label, hint, required }: { name: Path<V>; label: string; hint?: string; required?: boolean }) {
  const { t, i18n } = useTranslation();
  const { control } = useFormContext<V>();
  const { field } = useController({ name, control });
  const error = useFieldError(name);
  const current: unknown = field.value;
  const id = typeof current === 'string' ? current : '';
  const [shown, setShown] = useState<{ id: string; label: string } | null>(null);

  // The chosen person's name comes from main (restricted names only for readers holding a sealed copy).
  useEffect(() => {
    if (!id || shown?.id === id) return;
    let live = true;
    void call('persons.get', { id }).then((r) => {
      if (live) setShown({ id, label: r.ok ? personName(r.value.names, i18n.language) || t('persons.restrictedName') : id });
    });
    return () => {
      live = false;
    };
  }, [id, shown, i18n.language, t]);

  const search = useCallback(
    async (query: string): Promise<ComboOption[]> => {
      const r = await call('search.query', { query: query.slice(0, 500), kinds: ['person'], limit: 10, snippets: false });
      if (!r.ok) return [];
      return r.value.items.map((p) => ({ value: p.id, label: p.title ?? t('persons.restrictedName'), ...(p.date ? { detail: p.date } : {}) }));
    },
    [t],
  );

  return (
    <Combobox
      label={label}
      hint={hint ?? t('persons.pickerHint')}
      error={error}
      required={required}
      selectedLabel={id && shown?.id === id ? shown.label : ''}
      search={search}
      onSelect={(o) => {
        setShown({ id: o.value, label: o.label });
        field.onChange(o.value);
      }}
    />
  );
}
