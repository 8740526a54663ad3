import { useQueryClient } from "@tanstack/react-query";
import { TokenDialog } from "./TokenDialog";
import { useTokenPromptControls, useTokenPromptState } from "./useTokenPrompt";

/** The dialog wired to the app's token prompt; after a new token, reads that already failed with 401 are fetched again. */
export function TokenGate() {
  const prompt = useTokenPromptControls();
  const state = useTokenPromptState();
  const queryClient = useQueryClient();
  const submit = (token: string) => {
    prompt.submit(token);
    void queryClient.refetchQueries({ predicate: (query) => query.state.error?.status === 401 });
  };
  return <TokenDialog open={state.open} rejected={state.rejected} onSubmit={submit} onCancel={prompt.cancel} />;
}
