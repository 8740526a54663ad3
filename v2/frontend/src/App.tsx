import CssBaseline from "@mui/material/CssBaseline";
import { ThemeProvider } from "@mui/material/styles";
import { QueryClientProvider, type QueryClient } from "@tanstack/react-query";
import { setUnauthorizedHandler } from "./api/client";
import { TokenGate } from "./auth/TokenGate";
import { createTokenPrompt, type TokenPrompt } from "./auth/tokenPrompt";
import { TokenPromptContext } from "./auth/useTokenPrompt";
import { RetryContext } from "./components/RetryContext";
import { Dashboard } from "./pages/Dashboard";
import { createQueryClient } from "./queryClient";
import { theme } from "./theme";

export interface AppServices {
  queryClient: QueryClient;
  tokenPrompt: TokenPrompt;
}

/** Build the app's long-lived objects and connect the token prompt to the API client. */
export function createAppServices(options: { retry?: boolean } = {}): AppServices {
  const tokenPrompt = createTokenPrompt();
  setUnauthorizedHandler(tokenPrompt.request);
  return { queryClient: createQueryClient(options), tokenPrompt };
}

export function App({ queryClient, tokenPrompt }: AppServices) {
  return (
    <ThemeProvider theme={theme}>
      <CssBaseline />
      <QueryClientProvider client={queryClient}>
        <TokenPromptContext value={tokenPrompt}>
          <RetryContext value={tokenPrompt.reset}>
            <Dashboard />
            <TokenGate />
          </RetryContext>
        </TokenPromptContext>
      </QueryClientProvider>
    </ThemeProvider>
  );
}
