import { createPassphrasePolicy } from '/work/main/electron/core/vault/passphrase-policy';
let t = performance.now();
const p = createPassphrasePolicy({ resourcesDir: '/work/main/resources' });
console.log('create', performance.now() - t);
for (const s of ['Lumi i Drinit rrjedh ngadalë 1999', 'Lumi i Drinit rrjedh ngadalë 1998', 'short', 'x'.repeat(1000), 'correct horse battery staple zz', 'a b c d e f g h i j k l m n o p q r s t u v w x y z '.repeat(10)]) {
  t = performance.now(); const v = p.assess(s); console.log(s.length, v.problem, performance.now() - t);
}
