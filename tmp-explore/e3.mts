import { contract } from '/work/main/shared/ipc/contract';
import { createPassphrasePolicy } from '/work/main/electron/core/vault/passphrase-policy';
const inp = JSON.parse('{"__proto__":{"polluted":1},"minutes":5}');
console.log(Object.keys(inp), contract['settings.setIdleTimeout'].input.safeParse(inp));
const r = contract['settings.setIdleTimeout'].input.safeParse({ minutes: 5, extra: 'SECRETXYZ' });
console.log(JSON.stringify(r.error?.issues));
console.log(({} as Record<string, unknown>).polluted);
const p = createPassphrasePolicy({ resourcesDir: '/work/main/resources' });
for (const s of ['aaaaaaaaaaaaaaaa', 'passwordpassword', 'PasswordPassword', 'ｐａｓｓｗｏｒｄｐａｓｓｗｏｒｄ', 'kratko', 'Lumi i Drinit rrjedh ngadalë 1999', 'Грачаница у пролеће мирише на липу', 'correct horse battery staple', 'drita.krasniqi2024', '12345678901234', 'qwertyuiopasdfgh', '😀😀😀😀😀😀😀😀😀😀😀', 'abcdefghijkl', 'Tr4in-Ko50vo-Pluto', 'x'.repeat(1025)])
  console.log(JSON.stringify(s.slice(0, 40)), p.assess(s), p.assess(s, ['drita.krasniqi', 'Drita Krasniqi']));
