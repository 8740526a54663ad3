import { describe, expect, it } from "vitest";
import { createEventParser, type ServerEvent } from "./eventStream";

function parse(...chunks: string[]): ServerEvent[] {
  const events: ServerEvent[] = [];
  const feed = createEventParser((event) => events.push(event));
  chunks.forEach(feed);
  return events;
}

describe("createEventParser", () => {
  it("reads the service's events, skipping keepalive comments", () => {
    expect(parse('id: 1042\nevent: activity\ndata: {"id": 1042}\n\n: keepalive\n\nevent: status\ndata: {"changed": ["tasks"]}\n\n')).toEqual([
      { event: "activity", data: '{"id": 1042}', id: "1042" },
      { event: "status", data: '{"changed": ["tasks"]}', id: "1042" },
    ]);
  });

  it("joins events split across chunks anywhere, \\r\\n included", () => {
    expect(parse("id: 7\r", "\nevent: act", "ivity\r\ndata: a\r\n", "data: b\r\n\r", "\n")).toEqual([{ event: "activity", data: "a\nb", id: "7" }]);
  });

  it("dispatches nothing for an event without data or before its blank line", () => {
    expect(parse("event: status\n\n", "data: x\n")).toEqual([]);
    expect(parse("data\n\n")).toEqual([{ event: "message", data: "", id: null }]);
  });
});
