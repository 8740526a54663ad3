import { describe, expect, it } from "vitest";
import { playerName, viewerLabel } from "./players";

describe("viewerLabel", () => {
  it.each([
    [{ address: "192.168.1.20", user_agent: "VLC/3.0.20 LibVLC/3.0.20" }, "VLC on 192.168.1.20"],
    [{ address: "10.0.0.5", user_agent: "Lavf/60.3.100" }, "Lavf on 10.0.0.5"],
    [{ address: "10.0.0.6", user_agent: "Mozilla/5.0 (X11; Linux x86_64)" }, "A browser on 10.0.0.6"],
    [{ address: "10.0.0.7", user_agent: null }, "A player on 10.0.0.7"],
    [{ address: null, user_agent: "Kodi/21.0 (Linux)" }, "Kodi"],
    [{ address: null, user_agent: null }, "A player (details not recorded)"],
  ])("names %j as %j", (viewer, label) => {
    expect(viewerLabel(viewer)).toBe(label);
  });

  it("takes no name from an empty or blank user agent", () => {
    expect(playerName("")).toBeNull();
    expect(playerName("   ")).toBeNull();
  });
});
