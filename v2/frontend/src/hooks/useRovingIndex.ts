import { useState, type KeyboardEvent } from "react";

/**
 * Which of `count` small items (a chart's bars, a strip's runs) is shown in detail, from one Tab
 * stop: focus shows the last, the arrow keys, Home and End walk them, Escape hides the detail, and
 * leaving hides it. Hover and tap set it through `setActive`.
 */
export function useRovingIndex(count: number) {
  const [active, setActive] = useState<number | null>(null);
  const move = (to: number) => setActive(Math.min(count - 1, Math.max(0, to)));
  const onKeyDown = (event: KeyboardEvent) => {
    const current = active ?? count - 1;
    const keys: Record<string, () => void> = {
      ArrowLeft: () => move(current - 1),
      ArrowRight: () => move(current + 1),
      Home: () => move(0),
      End: () => move(count - 1),
      Escape: () => setActive(null),
    };
    const action = keys[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  };
  const focusProps = {
    tabIndex: 0,
    onKeyDown,
    onFocus: () => setActive((current) => current ?? count - 1),
    onBlur: () => setActive(null),
  };
  return { active, setActive, focusProps };
}
