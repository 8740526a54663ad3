/**
 * How the page names a player from what `GET /ace/getstream` recorded: "VLC on 192.168.1.20".
 * The player's name is the first product of its user agent (`VLC/3.0.20 LibVLC/3.0.20` → "VLC",
 * `Lavf/60.3.100` → "Lavf"), or "A browser" for a `Mozilla/…` agent, which every browser sends.
 */
export interface RecordedViewer {
  address: string | null;
  user_agent: string | null;
}

export function playerName(userAgent: string | null): string | null {
  const product = userAgent?.trim().split(/[\s/;(]/, 1)[0];
  if (!product) return null;
  return product === "Mozilla" ? "A browser" : product;
}

export function viewerLabel({ address, user_agent }: RecordedViewer): string {
  const player = playerName(user_agent);
  if (player && address) return `${player} on ${address}`;
  if (player) return player;
  if (address) return `A player on ${address}`;
  return "A player (details not recorded)";
}
