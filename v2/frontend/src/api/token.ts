import { TOKEN_STORAGE_KEY } from "../config";

/**
 * The API token lives in sessionStorage so it survives a reload but not the tab.
 * Storage can throw (privacy modes, sandboxed iframes); then the token is simply not kept.
 */
export function getToken(): string | null {
  try {
    return window.sessionStorage.getItem(TOKEN_STORAGE_KEY);
  } catch {
    return null;
  }
}

export function setToken(token: string): void {
  try {
    window.sessionStorage.setItem(TOKEN_STORAGE_KEY, token);
  } catch {
    // Not persisted; the next 401 asks again.
  }
}
