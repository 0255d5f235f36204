// Every check name and detail code of the archive check has words in the UI (the i18n test then covers 4 languages).
import { expect, test } from 'vitest';
import { archiveCheckDetails, archiveCheckNames, archiveCheckParts, attachmentSkipReasons } from '../../shared/maintenance/archive-check';
import en from '../../renderer/src/i18n/locales/maintenance/en.json' with { type: 'json' };

test('names, details, parts and skip reasons are all in the English catalog', () => {
  const c = en.maintenance.check;
  const missing = [
    ...archiveCheckNames.filter((n) => !(n in c.name)).map((n) => `name.${n}`),
    ...archiveCheckDetails.filter((d) => !(d in c.detail)).map((d) => `detail.${d}`),
    ...archiveCheckParts.filter((p) => !(p in c.part)).map((p) => `part.${p}`),
    ...attachmentSkipReasons.filter((r) => !(r in c.skipped)).map((r) => `skipped.${r}`),
  ];
  expect(missing).toEqual([]);
});
