import Chip from "@mui/material/Chip";
import type { ReactElement } from "react";

export type Tone = "success" | "warning" | "error" | "info" | "default";

export interface StatusChipProps {
  /** Always shown: status is never told by colour alone. */
  label: string;
  tone: Tone;
  icon: ReactElement;
}

export function StatusChip({ label, tone, icon }: StatusChipProps) {
  return <Chip size="small" variant="filled" color={tone} icon={icon} label={label} />;
}
