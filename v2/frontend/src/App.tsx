import CssBaseline from "@mui/material/CssBaseline";
import { ThemeProvider } from "@mui/material/styles";
import { QueryClientProvider, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { setUnauthorizedHandler } from "./api/client";
import { TokenDialog } from "./components/TokenDialog";
import { TokenPromptContext, useTokenPromptControls, useTokenPromptState } from "./hooks/useTokenPrompt";
import { Dashboard } from "./pages/Dashboard";
import { createQueryClient } from "./queryClient";
import { createTokenPrompt, type TokenPrompt } from "./services/tokenPrompt";
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

/** The dialog; after a new token, reads that already failed with 401 are fetched again. */
function TokenGate() {
  const prompt = useTokenPromptControls();
  const state = useTokenPromptState();
  const queryClient = useQueryClient();
  const submit = (token: string) => {
    prompt.submit(token);
    void queryClient.refetchQueries({ predicate: (query) => query.state.error?.status === 401 });
  };
  return <TokenDialog open={state.open} rejected={state.rejected} onSubmit={submit} onCancel={prompt.cancel} />;
}

export function App({ queryClient, tokenPrompt }: AppServices) {
  return (
    <ThemeProvider theme={theme}>
      <CssBaseline />
      <QueryClientProvider client={queryClient}>
        <TokenPromptContext value={tokenPrompt}>
          <Dashboard />
          <TokenGate />
        </TokenPromptContext>
      </QueryClientProvider>
    </ThemeProvider>
  );
}
