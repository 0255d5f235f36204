// A QR code drawn as React <svg><rect/> elements from qrcode's module matrix: the CSP allows no inline images.
import { create } from 'qrcode';
import { useMemo } from 'react';
import { qrRects, quietZone } from './qr-rects';

type Props = { text: string; label: string; className?: string };

export function QrCode({ text, label, className }: Props) {
  const symbol = useMemo(() => {
    // Level M (about 15 % of the symbol may be damaged): a printed sheet that gets folded or stained still scans.
    const { modules } = create(text, { errorCorrectionLevel: 'M' });
    return { side: modules.size + 2 * quietZone, rects: qrRects(modules) };
  }, [text]);
  return (
    <svg
      className={className ?? 'qr-code'}
      role="img"
      aria-label={label}
      viewBox={`0 0 ${symbol.side} ${symbol.side}`}
      shapeRendering="crispEdges"
      xmlns="http://www.w3.org/2000/svg"
    >
      <rect x={0} y={0} width={symbol.side} height={symbol.side} fill="#fff" />
      {symbol.rects.map((r) => (
        <rect key={`${r.x},${r.y}`} x={r.x} y={r.y} width={r.width} height={1} fill="#000" />
      ))}
    </svg>
  );
}
