import { createContext, useContext, useSyncExternalStore } from "react";
import type { TokenPrompt, TokenPromptState } from "./tokenPrompt";

export const TokenPromptContext = createContext<TokenPrompt | null>(null);

/** The app's token prompt (see tokenPrompt.ts); throws outside the provider. */
export function useTokenPromptControls(): TokenPrompt {
  const prompt = useContext(TokenPromptContext);
  if (!prompt) throw new Error("useTokenPromptControls must be used inside TokenPromptContext");
  return prompt;
}

export function useTokenPromptState(): TokenPromptState {
  const prompt = useTokenPromptControls();
  return useSyncExternalStore(prompt.subscribe, prompt.getSnapshot);
}
