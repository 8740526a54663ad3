import Box from "@mui/material/Box";
import { Fragment, type ReactNode } from "react";

export interface DetailListProps {
  items: { label: string; value: ReactNode }[];
}

/** Label/value pairs as a description list; values wrap anywhere so long ids never widen the page. */
export function DetailList({ items }: DetailListProps) {
  return (
    <Box
      component="dl"
      sx={{
        display: "grid",
        gridTemplateColumns: "max-content minmax(0, 1fr)",
        columnGap: 2,
        rowGap: 0.5,
        m: 0,
        typography: "body2",
      }}
    >
      {items.map(({ label, value }) => (
        <Fragment key={label}>
          <Box component="dt" sx={{ color: "text.secondary" }}>
            {label}
          </Box>
          <Box component="dd" sx={{ m: 0, minWidth: 0, overflowWrap: "anywhere" }}>
            {value}
          </Box>
        </Fragment>
      ))}
    </Box>
  );
}
