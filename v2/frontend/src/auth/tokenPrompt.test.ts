import { describe, expect, it } from "vitest";
import { getToken } from "../api/token";
import { createTokenPrompt } from "./tokenPrompt";

describe("createTokenPrompt", () => {
  it("serves every waiting request with one answer and stores the token", async () => {
    const prompt = createTokenPrompt();
    const first = prompt.request({ rejected: false, interactive: false });
    const second = prompt.request({ rejected: true, interactive: false });
    expect(prompt.getSnapshot()).toEqual({ open: true, rejected: true, declined: false });
    prompt.submit("  tok  ");
    await expect(Promise.all([first, second])).resolves.toEqual([true, true]);
    expect(getToken()).toBe("tok");
    expect(prompt.getSnapshot().open).toBe(false);
  });

  it("after Cancel fails reads at once but still asks for writes, until reset", async () => {
    const prompt = createTokenPrompt();
    const read = prompt.request({ rejected: false, interactive: false });
    prompt.cancel();
    await expect(read).resolves.toBe(false);
    expect(prompt.getSnapshot().declined).toBe(true);

    await expect(prompt.request({ rejected: false, interactive: false })).resolves.toBe(false);
    expect(prompt.getSnapshot().open).toBe(false);

    const write = prompt.request({ rejected: false, interactive: true });
    expect(prompt.getSnapshot().open).toBe(true);
    prompt.cancel();
    await expect(write).resolves.toBe(false);

    prompt.reset();
    void prompt.request({ rejected: false, interactive: false });
    expect(prompt.getSnapshot()).toMatchObject({ open: true, declined: false });
  });

  it("notifies subscribers", () => {
    const prompt = createTokenPrompt();
    let calls = 0;
    const unsubscribe = prompt.subscribe(() => (calls += 1));
    prompt.open();
    prompt.cancel();
    unsubscribe();
    prompt.open();
    expect(calls).toBe(2);
  });
});
