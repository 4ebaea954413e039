import { create } from 'qrcode';

/** The dark modules of a QR code as one SVG path, one unit per module, inside a 4-module quiet zone. */
export function qrPath(text: string): { size: number; d: string } {
  const { modules } = create(text, { errorCorrectionLevel: 'M' });
  const quiet = 4;
  const parts: string[] = [];
  for (let row = 0; row < modules.size; row++) {
    // Runs of dark modules on a row become one rectangle: a few hundred path commands instead of thousands.
    let col = 0;
    while (col < modules.size) {
      if (!modules.get(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < modules.size && modules.get(row, col)) col++;
      parts.push(`M${start + quiet} ${row + quiet}h${col - start}v1h${start - col}z`);
    }
  }
  return { size: modules.size + 2 * quiet, d: parts.join('') };
}

/**
 * A QR code drawn as inline SVG, computed where it renders: no image request, nothing fetched. Dark
 * on white whatever the page's theme, because phone cameras read that best.
 */
export function JoinQr({ url, label, className }: { url: string; label: string; className?: string }) {
  const { size, d } = qrPath(url);
  return (
    <svg
      className={className ?? 'join-qr'}
      viewBox={`0 0 ${size} ${size}`}
      role="img"
      aria-label={label}
      shapeRendering="crispEdges"
      data-qr-text={url}
    >
      <rect width={size} height={size} fill="#ffffff" />
      <path d={d} fill="#0b0d1f" />
    </svg>
  );
}
