import { expect } from "chai";
import { Output } from "../../scripts/output";
import { approxDuration, clockText, stampText, wallClock } from "../../scripts/time";
import { Capture } from "../fakes/capture";

const WINTER = Date.parse("2026-12-07T15:44:48Z");
const SUMMER = Date.parse("2026-07-07T15:44:48Z");

describe("times of day with their zone (finding 4)", () => {
  it("GIVEN a zone THEN its wall clock and offset, daylight-saving time included", () => {
    expect(wallClock(WINTER, "America/New_York")).to.deep.equal({
      date: "2026-12-07",
      time: "10:44:48",
      offsetMinutes: -300,
    });
    expect(wallClock(SUMMER, "America/New_York").offsetMinutes).to.equal(-240);
    expect(wallClock(WINTER, "Asia/Kolkata")).to.deep.equal({
      date: "2026-12-07",
      time: "21:14:48",
      offsetMinutes: 330,
    });
  });

  it("the stamp of a progress line carries its offset; UTC is marked Z", () => {
    expect(stampText(WINTER, "Europe/Paris")).to.equal("16:44:48+01:00");
    expect(stampText(SUMMER, "Europe/Paris")).to.equal("17:44:48+02:00");
    expect(stampText(WINTER, "America/New_York")).to.equal("10:44:48-05:00");
    expect(stampText(WINTER, "UTC")).to.equal("15:44:48Z");
  });

  it("an estimated time is hours and minutes, with the date when it falls on another day there", () => {
    const late = Date.parse("2026-12-07T22:30:00Z");
    expect(clockText(late, WINTER, "America/New_York")).to.equal("17:30");
    expect(clockText(late, WINTER, "Europe/Paris")).to.equal("23:30");
    expect(clockText(late + 3_600_000, WINTER, "Europe/Paris")).to.equal("2026-12-08 00:30");
  });

  it("GIVEN no zone THEN the process's local zone (TZ), as Date shows it", () => {
    const d = new Date(WINTER);
    expect(wallClock(WINTER).offsetMinutes).to.equal(-d.getTimezoneOffset());
    expect(wallClock(WINTER).time.slice(0, 2)).to.equal(String(d.getHours()).padStart(2, "0"));
  });

  it("Output stamps its lines in its zone (UTC for --utc), the old unmarked UTC stamp is gone", () => {
    const out = new Capture();
    new Output(out, out, () => WINTER, "Asia/Kolkata").info("RDS app-db: RUNNING 40%");
    new Output(out, out, () => WINTER, "UTC").warn("slow");
    expect(out.text).to.equal("21:14:48+05:30 RDS app-db: RUNNING 40%\n15:44:48Z WARNING slow\n");
    expect(new Output(out, out, () => WINTER, "Asia/Kolkata").clockTime(WINTER + 18 * 60_000)).to.equal(
      "21:32",
    );
  });

  it("a time left is rounded for a person", () => {
    expect(approxDuration(20_000)).to.equal("<1 min");
    expect(approxDuration(18 * 60_000 + 20_000)).to.equal("~18 min");
    expect(approxDuration(125 * 60_000)).to.equal("~2h 05m");
  });
});
