// Deterministic SVG artwork for seeded avatars and course covers: no network, tiny, and crisp at any size.

const palette = [
  ['#1e3a8a', '#3b82f6'],
  ['#065f46', '#10b981'],
  ['#7c2d12', '#f97316'],
  ['#581c87', '#a855f7'],
  ['#831843', '#ec4899'],
  ['#134e4a', '#14b8a6'],
  ['#713f12', '#eab308'],
  ['#1f2937', '#6b7280'],
] as const;

function colors(seed: number): readonly [string, string] {
  return palette[seed % palette.length] ?? palette[0];
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/);
  return ((parts[0]?.[0] ?? '') + (parts.length > 1 ? (parts.at(-1)?.[0] ?? '') : '')).toUpperCase();
}

export const AVATAR_SIZE = 256;
export const COVER_WIDTH = 1200;
export const COVER_HEIGHT = 675;

export function avatarSvg(name: string, seed: number): string {
  const [dark, light] = colors(seed);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${AVATAR_SIZE}" height="${AVATAR_SIZE}" viewBox="0 0 256 256">` +
    `<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${light}"/>` +
    `<stop offset="1" stop-color="${dark}"/></linearGradient></defs>` +
    `<rect width="256" height="256" fill="url(#g)"/>` +
    `<text x="128" y="128" dy=".35em" text-anchor="middle" font-family="system-ui,sans-serif" font-size="104" ` +
    `font-weight="600" fill="#fff">${escapeXml(initials(name))}</text></svg>`
  );
}

export function coverSvg(title: string, seed: number): string {
  const [dark, light] = colors(seed);
  const circles = [0, 1, 2]
    .map((i) => {
      const x = (seed * (97 + i * 31)) % COVER_WIDTH;
      const y = (seed * (53 + i * 17)) % COVER_HEIGHT;
      const r = 120 + ((seed >> i) % 160);
      return `<circle cx="${x}" cy="${y}" r="${r}" fill="#fff" fill-opacity="${(0.06 + i * 0.04).toFixed(2)}"/>`;
    })
    .join('');
  const text = title.length > 48 ? `${title.slice(0, 47)}…` : title;
  // Bold sans glyphs average about 0.62 em: shrink long titles to fit between the 80-unit margins.
  const fontSize = Math.min(64, Math.floor((1200 - 2 * 80) / (text.length * 0.62)));
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${COVER_WIDTH}" height="${COVER_HEIGHT}" viewBox="0 0 1200 675">` +
    `<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${dark}"/>` +
    `<stop offset="1" stop-color="${light}"/></linearGradient></defs>` +
    `<rect width="1200" height="675" fill="url(#g)"/>${circles}` +
    `<text x="80" y="560" font-family="system-ui,sans-serif" font-size="${fontSize}" font-weight="700" fill="#fff">` +
    `${escapeXml(text)}</text></svg>`
  );
}
