import Card from "@mui/material/Card";
import CardContent from "@mui/material/CardContent";
import Stack from "@mui/material/Stack";
import Typography from "@mui/material/Typography";
import type { ReactNode } from "react";
import { SectionIdContext } from "./SkeletonHeight";

export interface SectionCardProps {
  /** Prefix for element ids; must be unique on the page. */
  id: string;
  title: string;
  /** True while the section's first load is in flight (sets aria-busy). */
  busy?: boolean;
  /** Controls shown beside the title. */
  action?: ReactNode;
  children: ReactNode;
}

/** A titled region: screen readers list it as a landmark named by its heading. */
export function SectionCard({ id, title, busy = false, action, children }: SectionCardProps) {
  const headingId = `${id}-title`;
  return (
    <Card component="section" id={id} aria-labelledby={headingId} aria-busy={busy} sx={{ minWidth: 0 }}>
      <CardContent>
        <Stack
          direction="row"
          useFlexGap
          sx={{ alignItems: "center", justifyContent: "space-between", flexWrap: "wrap", gap: 1.5, mb: 2 }}
        >
          <Typography variant="h2" id={headingId}>
            {title}
          </Typography>
          {action}
        </Stack>
        <SectionIdContext value={id}>{children}</SectionIdContext>
      </CardContent>
    </Card>
  );
}
