// The coded violations of a testimony, read-only: one row per act, labels in the UI language.
import { useTranslation } from 'react-i18next';
import type { TestimonyView } from '../../../../shared/ipc/contract';
import { useReference } from '../../lib/reference';

type Props = { violations: TestimonyView['violations']; personName: (id: string) => string; labelledBy: string };

export function ViolationsTable({ violations, personName, labelledBy }: Props) {
  const { t } = useTranslation();
  const ref = useReference();
  if (violations.length === 0) return <p>{t('testimonies.violations.none')}</p>;
  const esf = (code: string) => ref.entries('actTypes').find((e) => e.code === code)?.esf;
  return (
    <table className="violations-table" aria-labelledby={labelledBy}>
      <thead>
        <tr>
          <th scope="col">{t('testimonies.violations.victim')}</th>
          <th scope="col">{t('testimonies.violations.actType')}</th>
          <th scope="col">{t('testimonies.violations.date')}</th>
          <th scope="col">{t('testimonies.violations.place')}</th>
          <th scope="col">{t('testimonies.violations.perpetratorType')}</th>
          <th scope="col">{t('testimonies.violations.victimOutcome')}</th>
          <th scope="col">{t('testimonies.violations.notes')}</th>
        </tr>
      </thead>
      <tbody>
        {violations.map((v) => {
          const code = esf(v.actType);
          return (
            <tr key={v.id}>
              <th scope="row">{personName(v.victimId)}</th>
              <td>
                {ref.label('actTypes', v.actType)}
                {code ? <span className="esf"> (ESF {code})</span> : null}
              </td>
              <td>{v.date ?? ''}</td>
              <td>{ref.placeName(v.placeId)}</td>
              <td>{ref.label('perpetratorTypes', v.perpetratorType)}</td>
              <td>{ref.label('victimOutcomes', v.victimOutcome)}</td>
              <td className="notes">{v.notes ?? ''}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
