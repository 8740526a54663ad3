import { describe, expect, it } from "vitest";
import { createActiveStreams, createStream, createTask, createWarpStatus } from "../testing/data-generators";
import { findProblems, type ProblemSources } from "./problems";

function sources(overrides: Partial<ProblemSources> = {}): ProblemSources {
  return {
    tasks: { tasks: [createTask({ task_name: "scrape" }), createTask({ task_name: "playlist_generation" })] },
    streams: createActiveStreams(),
    warp: createWarpStatus(),
    ...overrides,
  };
}

const summary = (input: ProblemSources) => findProblems(input).problems.map((p) => [p.kind, p.severity]);

describe("findProblems", () => {
  it("finds nothing wrong when tasks, peers and WARP are well", () => {
    expect(findProblems(sources())).toEqual({ problems: [], overall: "ok" });
  });

  it("is unknown, not ok, while a source has not loaded", () => {
    expect(findProblems(sources({ warp: undefined })).overall).toBe("unknown");
  });

  it("puts failures before warnings whatever the page order, and links a task to its element then its section", () => {
    const result = findProblems(
      sources({
        tasks: {
          tasks: [
            createTask({ task_name: "scrape", degraded: true, warnings: ["https://a.example/ 404"] }),
            createTask({ task_name: "epg_refresh", overdue: true }),
            createTask({ task_name: "playlist_generation", status: "error", overdue: true, last_error: "boom" }),
          ],
        },
        streams: createActiveStreams({ source: null, available: false, count: null, streams: [], error: "down; down" }),
      }),
    );
    expect(result.overall).toBe("error");
    expect(result.problems.map((p) => [p.kind, p.severity])).toEqual([
      ["taskFailing", "error"],
      ["peersDown", "error"],
      ["taskPartial", "warning"],
      ["taskOverdue", "warning"],
    ]);
    expect(result.problems[0]).toMatchObject({ task: "playlist_generation", anchors: ["task-playlist_generation", "background-tasks"] });
  });

  it("calls acexy down with the engine up a warning, and says nothing before the first check", () => {
    expect(summary(sources({ streams: createActiveStreams({ source: "acestream", available: true, count: null, streams: [] }) }))).toEqual([
      ["acexyDown", "warning"],
    ]);
    expect(summary(sources({ streams: createActiveStreams({ source: null, available: false, checked_at: null, streams: [] }) }))).toEqual([]);
  });

  it("names a stalled stream by its channel, else its id", () => {
    const streams = createActiveStreams({
      streams: [createStream({ stalled: true, channel: { name: "La 1", group: null, logo: null, tvg_id: null } }), createStream({ id: "abc", stalled: true })],
    });
    expect(findProblems(sources({ streams })).problems).toMatchObject([
      { kind: "streamStalled", stream: "La 1", anchors: ["active-streams"] },
      { kind: "streamStalled", stream: "abc" },
    ]);
  });

  it("counts WARP disconnected (warning) and in error (error), not unset up or connecting", () => {
    expect(summary(sources({ warp: createWarpStatus({ status: "disconnected" }) }))).toEqual([["warpDown", "warning"]]);
    expect(findProblems(sources({ warp: createWarpStatus({ status: "error" }) })).overall).toBe("error");
    expect(summary(sources({ warp: createWarpStatus({ status: "unavailable" }) }))).toEqual([]);
    expect(summary(sources({ warp: createWarpStatus({ status: "connecting" }) }))).toEqual([]);
  });

  it("reports a paused task as no problem", () => {
    expect(summary(sources({ tasks: { tasks: [createTask({ status: "paused", paused: true, next_run: null })] } }))).toEqual([]);
  });
});
