// Chooses a person for a form field (the person's id, or '' for none) by searching names in any script, or
// adds a new person in a dialog without leaving the host form.
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { useController, useFormContext, type FieldValues, type Path } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { call } from '../../lib/archive-client';
import { Combobox, type ComboOption } from '../../components/form/Combobox';
import { useFieldError } from '../../components/form/fields';
import { useAllowed } from '../../app/session-context';
import type { PersonView } from '../../../../shared/ipc/contract';
import { PersonForm, type SimilarPerson } from './PersonForm';
import { personName } from './person-name';

// Other features import the display name from here.
export { personName };

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

  const canCreate = useAllowed('persons.create');
  const [adding, setAdding] = useState(false);
  const pick = (personId: string, shownLabel: string) => {
    setShown({ id: personId, label: shownLabel });
    field.onChange(personId);
    setAdding(false);
  };

  return (
    <div className="person-picker">
      <Combobox
        label={label}
        hint={hint ?? t('persons.pickerHint')}
        error={error}
        required={required}
        selectedLabel={id && shown?.id === id ? shown.label : ''}
        search={search}
        onSelect={(o) => pick(o.value, o.label)}
      />
      {canCreate ? (
        <button type="button" className="secondary small" onClick={() => setAdding(true)} aria-label={t('persons.addNewFor', { field: label })}>
          {t('persons.addNew')}
        </button>
      ) : null}
      {adding ? (
        <NewPersonDialog
          title={t('persons.addNewFor', { field: label })}
          onCreated={(p) => pick(p.id, personName(p.names, i18n.language) || t('persons.restrictedName'))}
          onUseExisting={(c) => pick(c.id, personName(c.names, i18n.language) || t('persons.restrictedName'))}
          onClose={() => setAdding(false)}
        />
      ) : null}
    </div>
  );
}

/**
 * The person form in a modal <dialog> (focus stays inside, Escape closes). Portalled to <body> because
 * a <form> may not sit inside the host's <form>.
 */
function NewPersonDialog({ title, onCreated, onUseExisting, onClose }: { title: string; onCreated: (p: PersonView) => void; onUseExisting: (c: SimilarPerson) => void; onClose: () => void }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  return createPortal(
    <dialog
      ref={ref}
      className="dialog person-dialog"
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      <PersonForm person={null} onSaved={onCreated} onCancel={onClose} onUseExisting={onUseExisting} useExistingLabel={t('persons.useExisting')} withDraft={false} headingLevel={3} />
    </dialog>,
    document.body,
  );
}
