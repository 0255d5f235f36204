// The director's accounts screen: who has an account, adding one, disabling, resetting a passphrase and removing.
import { useCallback, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorInfo } from '../../../../shared/errors';
import type { UserView } from '../../../../shared/ipc/contract';
import { useAllowed, useSession } from '../../app/session-context';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorMessage } from '../../components/ErrorMessage';
import { call } from '../../lib/archive-client';
import { AddUserForm } from './AddUserForm';
import { OneTimePassphrase, type OneTime } from './OneTimePassphrase';

type Pending = { kind: 'reset' | 'remove'; user: UserView };
type Busy = { kind: 'disable' | 'reset' | 'remove'; user: UserView };

export function UsersScreen() {
  const { t } = useTranslation();
  const session = useSession();
  const mayCreate = useAllowed('users.create');
  const mayDisable = useAllowed('users.setDisabled');
  const mayReset = useAllowed('users.resetPassphrase');
  const mayRemove = useAllowed('users.remove');
  const tableId = useId();
  const [users, setUsers] = useState<UserView[] | null>(null);
  const [oneTime, setOneTime] = useState<OneTime | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const [busy, setBusy] = useState<Busy | null>(null);
  const [notice, setNotice] = useState('');
  const [error, setError] = useState<ErrorInfo | null>(null);

  const load = useCallback(async () => {
    const r = await call('users.list', {});
    if (r.ok) setUsers(r.value.users);
    else setError(r.error);
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  const replaceUser = (user: UserView) => setUsers((list) => list?.map((u) => (u.id === user.id ? user : u)) ?? null);

  const setDisabled = async (user: UserView, disabled: boolean) => {
    setError(null);
    setNotice('');
    setBusy({ kind: 'disable', user });
    const r = await call('users.setDisabled', { id: user.id, disabled });
    setBusy(null);
    if (r.ok) {
      replaceUser(r.value);
      setNotice(t(disabled ? 'accounts.users.disabledDone' : 'accounts.users.enabledDone', { name: r.value.displayName }));
    } else setError(r.error);
  };

  const reset = async (user: UserView) => {
    setError(null);
    setNotice('');
    setBusy({ kind: 'reset', user });
    const r = await call('users.resetPassphrase', { id: user.id });
    setBusy(null);
    if (r.ok) {
      replaceUser(r.value.user);
      setOneTime({ username: r.value.user.username, displayName: r.value.user.displayName, passphrase: r.value.oneTimePassphrase, reason: 'reset' });
    } else setError(r.error);
  };

  const remove = async (user: UserView) => {
    setError(null);
    setNotice('');
    setBusy({ kind: 'remove', user });
    const r = await call('users.remove', { id: user.id });
    setBusy(null);
    if (r.ok) {
      setNotice(t('accounts.users.removedDone', { name: user.displayName }));
      await load();
    } else setError(r.error);
  };

  return (
    <section aria-labelledby="users-heading">
      <h1 id="users-heading">{t('accounts.users.heading')}</h1>
      <p>{t('accounts.users.intro')}</p>
      {oneTime ? <OneTimePassphrase value={oneTime} onDismiss={() => setOneTime(null)} /> : null}
      {busy?.kind === 'remove' ? (
        <p className="notice" role="status">
          {t('accounts.users.removing', { name: busy.user.displayName })}
        </p>
      ) : (
        <p role="status" className="notice-line">
          {notice}
        </p>
      )}
      <ErrorMessage error={error} />
      {users === null ? (
        <p aria-live="polite">{t('app.loading')}</p>
      ) : (
        <table className="users-table" aria-busy={busy !== null}>
          <caption>{t('accounts.users.tableCaption', { count: users.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('accounts.users.username')}</th>
              <th scope="col">{t('accounts.users.displayName')}</th>
              <th scope="col">{t('accounts.users.role')}</th>
              <th scope="col">{t('accounts.users.state')}</th>
              <th scope="col">{t('accounts.users.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {users.map((user) => {
              const own = user.id === session.userId;
              const nameId = `${tableId}-${user.id}`;
              return (
                <tr key={user.id} className={user.disabled ? 'disabled' : undefined}>
                  <th scope="row" id={nameId}>
                    {user.username}
                  </th>
                  <td>{user.displayName}</td>
                  <td>{t(`roles.${user.role}`)}</td>
                  <td>
                    {t(user.disabled ? 'accounts.users.disabled' : 'accounts.users.active')}
                    {user.mustChangePassphrase ? <span className="hint user-flag">{t('accounts.users.mustChange')}</span> : null}
                  </td>
                  <td>
                    {own ? (
                      // The server refuses these on one's own account too (ACCOUNT_SELF); the passphrase is in Settings.
                      <span className="hint">{t('accounts.users.ownAccount')}</span>
                    ) : (
                      <div className="row-actions">
                        {mayDisable ? (
                          <button type="button" className="secondary small" aria-describedby={nameId} disabled={busy !== null} onClick={() => void setDisabled(user, !user.disabled)}>
                            {t(user.disabled ? 'accounts.users.enable' : 'accounts.users.disable')}
                          </button>
                        ) : null}
                        {mayReset ? (
                          <button type="button" className="secondary small" aria-describedby={nameId} disabled={busy !== null} onClick={() => setPending({ kind: 'reset', user })}>
                            {t('accounts.users.reset')}
                          </button>
                        ) : null}
                        {mayRemove ? (
                          <button type="button" className="secondary small" aria-describedby={nameId} disabled={busy !== null} onClick={() => setPending({ kind: 'remove', user })}>
                            {t('accounts.users.remove')}
                          </button>
                        ) : null}
                      </div>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {mayCreate && !oneTime ? (
        <AddUserForm
          onCreated={(created) => {
            setNotice('');
            setOneTime({ username: created.user.username, displayName: created.user.displayName, passphrase: created.oneTimePassphrase, reason: 'created' });
            void load();
          }}
        />
      ) : null}
      {pending ? (
        <ConfirmDialog
          title={t(pending.kind === 'reset' ? 'accounts.users.resetTitle' : 'accounts.users.removeTitle', { name: pending.user.displayName })}
          body={t(pending.kind === 'reset' ? 'accounts.users.resetBody' : 'accounts.users.removeBody', { name: pending.user.displayName })}
          confirmLabel={t(pending.kind === 'reset' ? 'accounts.users.resetConfirm' : 'accounts.users.removeConfirm')}
          cancelLabel={t('form.cancel')}
          onConfirm={() => {
            const { kind, user } = pending;
            setPending(null);
            void (kind === 'reset' ? reset(user) : remove(user));
          }}
          onCancel={() => setPending(null)}
        />
      ) : null}
    </section>
  );
}
