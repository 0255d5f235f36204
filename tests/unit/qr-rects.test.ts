// The QR renderer's matrix -> rects step draws exactly the symbol qrcode computed: every dark module, nothing else.
import { create } from 'qrcode';
import { expect, test } from 'vitest';
import { qrRects, quietZone, type ModuleMatrix } from '../../renderer/src/components/qr-rects';

/** Paints the rects back onto a grid of the symbol's size (quiet zone removed); fails on overlap or overflow. */
function paint(size: number, rects: ReturnType<typeof qrRects>): number[][] {
  const grid = Array.from({ length: size }, () => new Array<number>(size).fill(0));
  for (const r of rects) {
    const row = grid[r.y - quietZone];
    expect(row, `rect at y=${r.y}`).toBeDefined();
    for (let x = r.x; x < r.x + r.width; x++) {
      const col = x - quietZone;
      expect(col >= 0 && col < size, `rect at x=${r.x} width ${r.width}`).toBe(true);
      expect(row?.[col], `overlap at ${x},${r.y}`).toBe(0);
      if (row) row[col] = 1;
    }
  }
  return grid;
}

const matrixOf = (m: ModuleMatrix) => Array.from({ length: m.size }, (_, r) => Array.from({ length: m.size }, (_, c) => m.get(r, c)));

test.each([
  ['a short share', 'TA1-1-3-ABCDEF'],
  ['a share as long as the contract allows', `TA1-${'Z9'.repeat(198)}`],
  ['Unicode text', 'Prishtinë / Приштина'],
])('%s: the rects reproduce the module matrix exactly', (_name, text) => {
  const { modules } = create(text, { errorCorrectionLevel: 'M' });
  const rects = qrRects(modules);
  expect(paint(modules.size, rects)).toEqual(matrixOf(modules));
  // Runs are maximal: two rects on one row never touch (else the merge missed a join).
  const byRow = new Map<number, Array<{ x: number; width: number }>>();
  for (const r of rects) byRow.set(r.y, [...(byRow.get(r.y) ?? []), r]);
  for (const row of byRow.values()) for (let i = 1; i < row.length; i++) expect(row[i]!.x).toBeGreaterThan(row[i - 1]!.x + row[i - 1]!.width);
});

test('the top-left finder pattern is a 7-module run inside the quiet zone', () => {
  const { modules } = create('TA1-finder', { errorCorrectionLevel: 'M' });
  const rects = qrRects(modules);
  expect(rects[0]).toEqual({ x: quietZone, y: quietZone, width: 7 });
  // Row 2 of a finder: dark, light, three dark, light, dark.
  expect(rects.filter((r) => r.y === quietZone + 2 && r.x < quietZone + 7)).toEqual([
    { x: quietZone, y: quietZone + 2, width: 1 },
    { x: quietZone + 2, y: quietZone + 2, width: 3 },
    { x: quietZone + 6, y: quietZone + 2, width: 1 },
  ]);
});

test('a custom margin shifts every rect and a blank matrix draws nothing', () => {
  const blank: ModuleMatrix = { size: 3, get: () => 0 };
  expect(qrRects(blank)).toEqual([]);
  const full: ModuleMatrix = { size: 2, get: () => 1 };
  expect(qrRects(full, 0)).toEqual([
    { x: 0, y: 0, width: 2 },
    { x: 0, y: 1, width: 2 },
  ]);
});
