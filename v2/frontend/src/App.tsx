import { QueryClientProvider, type QueryClient } from "@tanstack/react-query";
import type { i18n } from "i18next";
import { I18nextProvider } from "react-i18next";
import { AppTheme } from "./AppTheme";
import { setUnauthorizedHandler } from "./api/client";
import { TokenGate } from "./auth/TokenGate";
import { createTokenPrompt, type TokenPrompt } from "./auth/tokenPrompt";
import { TokenPromptContext } from "./auth/useTokenPrompt";
import { RetryContext } from "./components/RetryContext";
import { Dashboard } from "./pages/Dashboard";
import { createI18n, type Language } from "./i18n";
import { createQueryClient } from "./queryClient";

export interface AppServices {
  queryClient: QueryClient;
  tokenPrompt: TokenPrompt;
  i18n: i18n;
}

/**
 * Build the app's long-lived objects and connect the token prompt to the API client. `language`
 * fixes the page's language (tests); without it the choice kept in the browser, else the browser's.
 */
export function createAppServices(options: { retry?: boolean; language?: Language } = {}): AppServices {
  const tokenPrompt = createTokenPrompt();
  setUnauthorizedHandler(tokenPrompt.request);
  return { queryClient: createQueryClient(options), tokenPrompt, i18n: createI18n(options.language) };
}

export function App({ queryClient, tokenPrompt, i18n }: AppServices) {
  return (
    <I18nextProvider i18n={i18n}>
      <AppTheme>
        <QueryClientProvider client={queryClient}>
          <TokenPromptContext value={tokenPrompt}>
            <RetryContext value={tokenPrompt.reset}>
              <Dashboard />
              <TokenGate />
            </RetryContext>
          </TokenPromptContext>
        </QueryClientProvider>
      </AppTheme>
    </I18nextProvider>
  );
}
