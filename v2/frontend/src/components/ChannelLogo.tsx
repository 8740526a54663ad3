import Box from "@mui/material/Box";
import { useState } from "react";

export interface ChannelLogoProps {
  /** The playlist's logo URL; null draws nothing. */
  src: string | null;
  /** The channel's name, for the alt text. */
  name: string;
  size?: number;
}

/**
 * A channel's logo, or nothing when it has none or it fails to load: a broken-image icon would say
 * less than the name beside it. Fetched without a referrer, as the logo is on someone else's server.
 */
export function ChannelLogo({ src, name, size = 40 }: ChannelLogoProps) {
  const [failed, setFailed] = useState<string | null>(null);
  if (!src || failed === src) return null;
  return (
    <Box
      component="img"
      src={src}
      alt={`${name} logo`}
      loading="lazy"
      referrerPolicy="no-referrer"
      onError={() => setFailed(src)}
      sx={{ width: size, height: size, objectFit: "contain", flexShrink: 0, borderRadius: 1 }}
    />
  );
}
