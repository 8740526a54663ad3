/**
 * A tiny store behind the API-token dialog. `request` is the API client's UnauthorizedHandler: every
 * request that gets a 401 while the dialog is open waits on the same answer, so one dialog serves
 * all of them. React reads the state with useSyncExternalStore (see useTokenPrompt.ts).
 *
 * After the person cancels, background reads (GET) stop asking — otherwise every poll would reopen
 * the dialog — until `reset()` (a Retry or Refresh click) or `open()` (the "Enter API token" button).
 * Writes are always user actions, so they always ask.
 */
import { setToken } from "../api/token";

export interface TokenPromptState {
  open: boolean;
  /** A token was sent and the server refused it. */
  rejected: boolean;
  /** The person cancelled the dialog; reads fail with 401 without asking again. */
  declined: boolean;
}

export interface TokenPrompt {
  request: (info: { rejected: boolean; interactive: boolean }) => Promise<boolean>;
  /** Open the dialog on request, without a failed request waiting. */
  open: () => void;
  submit: (token: string) => void;
  cancel: () => void;
  reset: () => void;
  subscribe: (listener: () => void) => () => void;
  getSnapshot: () => TokenPromptState;
}

export function createTokenPrompt(): TokenPrompt {
  let state: TokenPromptState = { open: false, rejected: false, declined: false };
  let pending: Promise<boolean> | null = null;
  let settle: ((retry: boolean) => void) | null = null;
  const listeners = new Set<() => void>();

  const setState = (next: Partial<TokenPromptState>) => {
    state = { ...state, ...next };
    listeners.forEach((listener) => listener());
  };

  const finish = (retry: boolean) => {
    const resolve = settle;
    pending = null;
    settle = null;
    setState({ open: false, rejected: false, declined: !retry });
    resolve?.(retry);
  };

  const ask = (rejected: boolean): Promise<boolean> => {
    if (!pending) {
      pending = new Promise<boolean>((resolve) => {
        settle = resolve;
      });
    }
    if (!state.open || (rejected && !state.rejected)) setState({ open: true, rejected: rejected || state.rejected });
    return pending;
  };

  return {
    request: ({ rejected, interactive }) => {
      if (state.declined && !interactive && !state.open) return Promise.resolve(false);
      return ask(rejected);
    },
    open: () => void ask(false),
    submit: (token) => {
      setToken(token.trim());
      finish(true);
    },
    cancel: () => finish(false),
    reset: () => {
      if (state.declined) setState({ declined: false });
    },
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getSnapshot: () => state,
  };
}
