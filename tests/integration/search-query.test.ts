// The query side of search without an archive: folding into words, the exact MATCH text, and snippets.
import { describe, expect, test } from 'vitest';
import { matchExpression, queryTerms } from '../../electron/core/search/match-expression';
import { snippetOf } from '../../electron/core/search/snippet';

const match = (q: string) => matchExpression(queryTerms(q));

describe('MATCH expressions', () => {
  test.each([
    ['Gjakovë', '"gjakove"*'],
    ['Đakovica 1999', '"djakovica" AND "1999"*'],
    ['Урошевац', '"urosevac"*'],
    ['Krushë e Madhe', '"krushe" AND "e" AND "madhe"*'],
    ['krushe ', '"krushe"'], // a finished word is matched whole
    ['gj', '"gj"'], // too short to expand
    ['recak recak', '"recak"*'],
    ['AND OR NOT', '"and" AND "or" AND "not"*'],
    ['NEAR(a b)', '"near" AND "a" AND "b"'],
    ['title:x* ^y "z"', '"title" AND "x" AND "y" AND "z"'],
    ['"', ''],
    ['*', ''],
    ['\uD83D\uDE42 \uD800', ''], // an emoji and a lone surrogate are not words
    ['Fushë-Kosovë', '"fushe" AND "kosove"*'],
  ])('%j → %j', (query, expected) => {
    expect(match(query)).toBe(expected);
  });

  test('a prefix expanded to the indexed words it starts is an OR group', () => {
    expect(matchExpression(queryTerms('Masakra e Reçak'), ['recak', 'recakut'])).toBe('"masakra" AND "e" AND ("recak" OR "recakut")');
    expect(matchExpression(queryTerms('Reçak '), ['ignored'])).toBe('"recak"');
  });
});

describe('snippets', () => {
  const narrative =
    'Më 27 prill 1999 vëllai im u ndal në pikën e kontrollit në Mejë, afër rrugës për Gjakovë. Që atëherë nuk dihet asgjë për të, ' +
    'megjithëse familja pyeti Kryqin e Kuq, policinë dhe komisionin për të zhdukurit disa herë gjatë viteve.';

  test('the original words around the first match, cut at word boundaries', () => {
    const s = snippetOf(narrative, queryTerms('Gjakove'));
    expect(s).toMatch(/^… .*Mejë, afër rrugës për Gjakovë\. .* …$/);
    expect(s!.length).toBeLessThan(180);
    expect(snippetOf(narrative, queryTerms('meje'))).toContain('në Mejë');
    expect(snippetOf('Отац је нестао код Ђаковица.', queryTerms('djakovica'))).toBe('Отац је нестао код Ђаковица.');
  });

  test('no match, no snippet', () => {
    expect(snippetOf(narrative, queryTerms('urosevac'))).toBeUndefined();
    expect(snippetOf('', queryTerms('meje'))).toBeUndefined();
    // "mej" starts a word, but a finished word (typed with a space after it) is matched whole.
    expect(snippetOf(narrative, queryTerms('mej '))).toBeUndefined();
  });
});
