// Autosaved drafts of a record form: kept sealed to the author inside the archive (never localStorage), so a crash
// or an idle lock loses at most a few seconds of typing.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { FieldValues, UseFormReturn } from 'react-hook-form';
import { call } from '../../lib/archive-client';

/** How long typing must pause before the draft is written. */
export const draftDelayMs = 2000;

export type DraftKey = `${'testimony' | 'session' | 'person'}:${string}`;

/** What a draft holds: the form's values and the record revision they started from (null for a new record). */
type StoredDraft = { format: 'draft-v1'; baseRevision: number | null; values: unknown };

function parseDraft(data: string): StoredDraft | null {
  try {
    const parsed: unknown = JSON.parse(data);
    if (typeof parsed === 'object' && parsed !== null && 'format' in parsed && parsed.format === 'draft-v1' && 'values' in parsed) {
      const base = 'baseRevision' in parsed && typeof parsed.baseRevision === 'number' ? parsed.baseRevision : null;
      return { format: 'draft-v1', baseRevision: base, values: parsed.values };
    }
    return null;
  } catch {
    return null;
  }
}

export type DraftState = {
  /** A saved draft, offered to the user (restore or discard); `stale` when the record changed since it was started. */
  offered: { savedAt: string; stale: boolean } | null;
  restore: () => void;
  discard: () => Promise<void>;
  /** When the last autosave landed (null before the first). */
  savedAt: string | null;
  /**
   * The revision a save must expect: the restored draft's starting revision, else the loaded one. A draft
   * started before someone else's change then meets RECORD_CONFLICT instead of silently undoing that change.
   */
  baseRevision: number | null;
  /** Call after the record itself was saved: the draft is no longer needed. */
  clear: () => Promise<void>;
};

export function useDraft<V extends FieldValues>(key: DraftKey, form: UseFormReturn<V, unknown, unknown>, loadedRevision: number | null): DraftState {
  const [offered, setOffered] = useState<{ savedAt: string; draft: StoredDraft } | null>(null);
  const [savedAt, setSavedAt] = useState<string | null>(null);
  const [restoredBase, setRestoredBase] = useState<number | null | undefined>(undefined);
  const cleared = useRef(false);
  const { watch, reset } = form;
  const baseRevision = restoredBase === undefined ? loadedRevision : restoredBase;
  const base = useRef(baseRevision);
  base.current = baseRevision;

  useEffect(() => {
    let live = true;
    void call('drafts.get', { key }).then((r) => {
      const draft = r.ok && r.value.draft ? parseDraft(r.value.draft.data) : null;
      if (live && r.ok && r.value.draft && draft) setOffered({ savedAt: r.value.draft.savedAt, draft });
    });
    return () => {
      live = false;
    };
  }, [key]);

  // Save after each pause in typing, only once the user changed something (no draft of an untouched form).
  // Dirtiness is read when the timer fires, not as an effect dependency: a re-run would cancel the pending save.
  useEffect(() => {
    let timer: number | undefined;
    const subscription = watch(() => {
      if (cleared.current) return;
      window.clearTimeout(timer);
      timer = window.setTimeout(() => {
        if (cleared.current || !form.formState.isDirty) return;
        const stored: StoredDraft = { format: 'draft-v1', baseRevision: base.current, values: form.getValues() };
        void call('drafts.save', { key, data: JSON.stringify(stored) }).then((r) => {
          if (r.ok) setSavedAt(r.value.savedAt);
        });
      }, draftDelayMs);
    });
    return () => {
      window.clearTimeout(timer);
      subscription.unsubscribe();
    };
  }, [watch, key, form]);

  const restore = useCallback(() => {
    if (!offered) return;
    reset(offered.draft.values as V, { keepDefaultValues: true });
    setRestoredBase(offered.draft.baseRevision);
    setOffered(null);
  }, [offered, reset]);

  const discard = useCallback(async () => {
    setOffered(null);
    await call('drafts.discard', { key });
  }, [key]);

  const clear = useCallback(async () => {
    cleared.current = true;
    await call('drafts.discard', { key });
  }, [key]);

  return {
    offered: offered ? { savedAt: offered.savedAt, stale: offered.draft.baseRevision !== loadedRevision } : null,
    restore,
    discard,
    savedAt,
    baseRevision,
    clear,
  };
}
