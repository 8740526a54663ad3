import KeyIcon from "@mui/icons-material/Key";
import Box from "@mui/material/Box";
import Button from "@mui/material/Button";
import { useTokenPromptControls, useTokenPromptState } from "./useTokenPrompt";

/** After the person cancelled the dialog, a way to open it again; nothing otherwise. */
export function EnterTokenButton() {
  const prompt = useTokenPromptControls();
  const { declined } = useTokenPromptState();
  if (!declined) return null;
  return (
    <Box>
      <Button variant="outlined" startIcon={<KeyIcon />} onClick={prompt.open}>
        Enter API token
      </Button>
    </Box>
  );
}
