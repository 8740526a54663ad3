import { showInvisible } from "../utils/text";

export interface OutsideTextProps {
  text: string;
}

/**
 * A value from outside the service, shown as it is: isolated (`<bdi>`) so its direction cannot
 * reorder the text around it, with override and zero-width characters made visible.
 */
export function OutsideText({ text }: OutsideTextProps) {
  return <bdi>{showInvisible(text)}</bdi>;
}
