import Button from "@mui/material/Button";
import Collapse from "@mui/material/Collapse";
import Stack from "@mui/material/Stack";
import Table from "@mui/material/Table";
import TableBody from "@mui/material/TableBody";
import TableCell from "@mui/material/TableCell";
import TableHead from "@mui/material/TableHead";
import TableRow from "@mui/material/TableRow";
import Typography from "@mui/material/Typography";
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import type { EntityUptime } from "../api/uptime";
import { useLocale } from "../i18n/useLocale";
import { formatPercent, stateClass } from "../utils/uptime";
import { stateWord } from "./UptimeBar";

const STATE_COLOUR = { up: "success.main", down: "error.main", paused: "text.secondary", unknown: "text.secondary" };

export interface UptimeStreamsProps {
  streams: EntityUptime[];
  /** The window the figures cover, in days. */
  days: number;
}

/**
 * The streams seen in the window, collapsed under one button: a row each (channel, state now, uptime,
 * stalls) instead of a bar each, so a busy evening of streams does not bury the peers and tasks.
 */
export function UptimeStreams({ streams, days }: UptimeStreamsProps) {
  const { t } = useTranslation();
  const locale = useLocale();
  const [open, setOpen] = useState(false);
  const regionId = useId();
  if (streams.length === 0) return null;
  return (
    <Stack sx={{ gap: 1 }}>
      <Button
        variant="text"
        size="small"
        aria-expanded={open}
        aria-controls={regionId}
        onClick={() => setOpen((value) => !value)}
        sx={{ alignSelf: "flex-start", minHeight: 44 }}
      >
        {open ? t("uptime.streams.hide") : t("uptime.streams.show", { count: streams.length })}
      </Button>
      <Collapse in={open} id={regionId} unmountOnExit>
        <Typography variant="caption" component="p" sx={{ color: "text.secondary", mb: 1 }}>
          {t("uptime.streams.caption", { days })}
        </Typography>
        <Table size="small" aria-label={t("uptime.streams.tableLabel")}>
          <TableHead>
            <TableRow>
              <TableCell>{t("uptime.streams.stream")}</TableCell>
              <TableCell>{t("uptime.streams.state")}</TableCell>
              <TableCell align="right">{t("uptime.streams.uptime")}</TableCell>
              <TableCell align="right">{t("uptime.streams.incidents")}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {streams.map((stream) => (
              <TableRow key={stream.id}>
                <TableCell component="th" scope="row" sx={{ wordBreak: "break-word" }}>
                  {stream.name}
                </TableCell>
                <TableCell sx={{ color: STATE_COLOUR[stateClass(stream.state)] }}>{stateWord(t, stream.state)}</TableCell>
                <TableCell align="right">
                  {stream.uptime_ratio === null ? t("uptime.noData") : formatPercent(stream.uptime_ratio, locale)}
                </TableCell>
                <TableCell align="right">{stream.incidents.length}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Collapse>
    </Stack>
  );
}
