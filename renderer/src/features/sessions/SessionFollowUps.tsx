// A session's follow-up actions, read-only except their status (for editors), overdue ones marked in words.
import { useTranslation } from 'react-i18next';
import type { SessionView } from '../../../../shared/ipc/contract';
import { followUpStatuses, type FollowUpStatus } from '../../../../shared/records/session-schemas';

type FollowUp = SessionView['followUps'][number];

/** Today as yyyy-mm-dd in the computer's own time zone (due dates are calendar days). */
export function localToday(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** Past its due day and not finished (done or dropped actions are never overdue). */
export function isOverdue(f: FollowUp, today: string): boolean {
  return f.dueDate !== null && f.dueDate < today && (f.status === 'open' || f.status === 'in-progress');
}

type Props = {
  followUps: FollowUp[];
  /** Null when the user may not change statuses: they are shown as text. */
  onStatus: ((followUpId: string, status: FollowUpStatus) => void) | null;
};

export function SessionFollowUps({ followUps, onStatus }: Props) {
  const { t } = useTranslation();
  if (followUps.length === 0) return <p className="hint">{t('sessions.noFollowUps')}</p>;
  const today = localToday();
  return (
    <table className="follow-up-table">
      <thead>
        <tr>
          <th scope="col">{t('sessions.followUpText')}</th>
          <th scope="col">{t('sessions.followUpOwner')}</th>
          <th scope="col">{t('sessions.followUpDue')}</th>
          <th scope="col">{t('sessions.followUpStatusLabel')}</th>
        </tr>
      </thead>
      <tbody>
        {followUps.map((f, i) => {
          const overdue = isOverdue(f, today);
          return (
            <tr key={f.id} className={overdue ? 'overdue' : undefined}>
              <td className="prose">{f.text}</td>
              <td>{f.owner}</td>
              <td>
                {f.dueDate ?? '—'}
                {overdue ? <strong className="overdue-mark"> {t('sessions.overdue')}</strong> : null}
              </td>
              <td>
                {onStatus ? (
                  <select
                    aria-label={t('sessions.followUpStatusOf', { n: i + 1 })}
                    value={f.status}
                    onChange={(e) => {
                      const status = followUpStatuses.find((s) => s === e.target.value);
                      if (status) onStatus(f.id, status);
                    }}
                  >
                    {followUpStatuses.map((s) => (
                      <option key={s} value={s}>
                        {t(`sessions.followUpStatus.${s}`)}
                      </option>
                    ))}
                  </select>
                ) : (
                  t(`sessions.followUpStatus.${f.status}`)
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
