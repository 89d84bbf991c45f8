import { describe, expect, it } from "vitest";
import { LogThrottle } from "./log-throttle.ts";

describe("LogThrottle", () => {
	it("logs the first event of a key", () => {
		const throttle = new LogThrottle(60_000);
		expect(throttle.admit("PUSH_EXPIRED", 1_000)).toEqual({ suppressed: 0 });
	});

	it("suppresses repeats within the interval", () => {
		const throttle = new LogThrottle(60_000);
		throttle.admit("PUSH_EXPIRED", 0);
		expect(throttle.admit("PUSH_EXPIRED", 1)).toBeUndefined();
		expect(throttle.admit("PUSH_EXPIRED", 59_999)).toBeUndefined();
	});

	it("reports the suppressed count after the interval", () => {
		const throttle = new LogThrottle(60_000);
		throttle.admit("PUSH_EXPIRED", 0);
		for (let event = 1; event <= 5; event += 1) {
			throttle.admit("PUSH_EXPIRED", event * 1_000);
		}
		expect(throttle.admit("PUSH_EXPIRED", 60_000)).toEqual({ suppressed: 5 });
		expect(throttle.admit("PUSH_EXPIRED", 60_001)).toBeUndefined();
		expect(throttle.admit("PUSH_EXPIRED", 120_000)).toEqual({
			suppressed: 1,
		});
	});

	it("throttles each key on its own", () => {
		const throttle = new LogThrottle(60_000);
		throttle.admit("PUSH_EXPIRED", 0);
		expect(throttle.admit("PUSH_MALFORMED", 1)).toEqual({ suppressed: 0 });
		expect(throttle.admit("PUSH_EXPIRED", 2)).toBeUndefined();
	});
});
