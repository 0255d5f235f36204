// Turns a QR code's module matrix into the few rectangles an <svg> draws (no canvas, no data: URL, no innerHTML).

/** The part of qrcode's BitMatrix this needs: a square of modules, 1 = dark. */
export type ModuleMatrix = { readonly size: number; get(row: number, col: number): number };

export type QrRect = { x: number; y: number; width: number };

/** The blank border readers need around the symbol, in modules (ISO/IEC 18004 asks for 4). */
export const quietZone = 4;

/**
 * One rectangle (1 module high) per horizontal run of dark modules, shifted by the quiet zone, so a
 * version-10 symbol draws as a few hundred rects instead of a thousand single squares.
 * @example qrRects(QRCode.create('TA1-…', { errorCorrectionLevel: 'M' }).modules)
 */
export function qrRects(matrix: ModuleMatrix, margin: number = quietZone): QrRect[] {
  const rects: QrRect[] = [];
  for (let row = 0; row < matrix.size; row++) {
    let start = -1;
    for (let col = 0; col <= matrix.size; col++) {
      const dark = col < matrix.size && matrix.get(row, col) === 1;
      if (dark && start < 0) start = col;
      else if (!dark && start >= 0) {
        rects.push({ x: start + margin, y: row + margin, width: col - start });
        start = -1;
      }
    }
  }
  return rects;
}
