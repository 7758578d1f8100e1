#!/usr/bin/env python3
"""Golden values for the workout analysis, computed the way FitTrackee
computes them: with gpxpy (FitTrackee's GPX library) and the arithmetic of
FitTrackee's GPX service (per-segment moving data, gaps between segments
counted as pauses, seconds without fractions, the largest segment maximum
as the workout's maximum speed, climbs only when the highest point is
above 0 m, zero-only cadence as none).

    tests/data/golden/make.py           # tests/data/gpx/*.gpx -> tests/data/golden/*.json
    tests/data/golden/make.py tracks    # rewrite the GPX files themselves (seeded)

gpxpy is installed from PyPI into target/golden-venv when missing. The
Rust test (tests/it/workouts/golden.rs) reads the JSON, never Python.
"""

import datetime
import json
import math
import os
import random
import re
import subprocess
import sys
import venv

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
TRACKS = os.path.join(ROOT, "tests", "data", "gpx")
GPXPY = "gpxpy==1.6.2"
PYTZ = "pytz"


def ensure_gpxpy():
    try:
        import gpxpy  # noqa: F401
        import pytz  # noqa: F401
        return
    except ImportError:
        pass
    env = os.path.join(ROOT, "target", "golden-venv")
    python = os.path.join(env, "bin", "python")
    if not os.path.exists(python):
        venv.create(env, with_pip=True)
    subprocess.run([python, "-m", "pip", "install", "--quiet", GPXPY, PYTZ], check=True)
    os.execv(python, [python, *sys.argv])


# Each file: the sport FitTrackee would analyze it for (its stopped-speed
# threshold, km/h) and what it is made to exercise.
FILES = {
    "commute_pauses.gpx": (2, 1.0, "a commute recorded every second, two stops in one segment"),
    "hike_no_elevation.gpx": (3, 0.1, "a phone app without elevation, irregular sampling"),
    "run_missing_times.gpx": (5, 1.0, "points without time (the last one too), fractional seconds"),
    "ride_power.gpx": (1, 1.0, "heart rate, cadence and power extensions, a sprint"),
    "tour_segments.gpx": (6, 0.1, "three segments with gaps, a one-point segment, cadence always 0"),
    "trail_latin1.gpx": (8, 0.1, "ISO-8859-1, elevations at 0 m near the sea, milliseconds"),
}


def readings(points):
    """FitTrackee's reading of the Garmin TrackPointExtension and power."""
    hr, cad, power = [], [], []
    for point in points:
        elements = []
        for extension in point.extensions:
            if "TrackPointExtension" in extension.tag:
                elements.extend(extension)
            else:
                elements.append(extension)
        for e in elements:
            if not e.text:
                continue
            if e.tag == "power" or e.tag.endswith("}power"):
                power.append(int(e.text))
            if e.tag.endswith("}hr"):
                hr.append(int(e.text))
            if e.tag.endswith("}cad"):
                cad.append(int(float(e.text)))
    return hr, cad, power


def stats(hr, cad, power):
    mean = lambda values: sum(values) / len(values)  # noqa: E731
    ave_cadence = mean(cad) if cad else None
    return {
        "ave_hr": mean(hr) if hr else None,
        "max_hr": max(hr) if hr else None,
        "ave_cadence": ave_cadence if ave_cadence else None,
        "max_cadence": max(cad) if ave_cadence else None,
        "ave_power": mean(power) if power else None,
        "max_power": max(power) if power else None,
    }


def whole(delta):
    return int((delta - datetime.timedelta(microseconds=delta.microseconds)).total_seconds())


def measures(part, threshold, between, sensors):
    """FitTrackee's `set_calculated_data` for a track or a segment."""
    moving = part.get_moving_data(stopped_speed_threshold=threshold, raw=False)
    extremes = part.get_elevation_extremes()
    duration = part.get_duration()
    distance = moving.moving_distance + moving.stopped_distance
    stopped = duration - moving.moving_time if duration else 0
    values = {
        "distance_km": distance / 1000,
        "duration": whole(datetime.timedelta(seconds=duration if duration else 0) + between),
        "moving": whole(datetime.timedelta(seconds=moving.moving_time)),
        "pauses": whole(datetime.timedelta(seconds=stopped) + between),
        "ave_speed": (distance / moving.moving_time if moving.moving_time > 0 else 0) / 1000 * 3600,
        "max_speed": moving.max_speed / 1000 * 3600,
        "min_alt": extremes.minimum,
        "max_alt": extremes.maximum,
        "ascent": None,
        "descent": None,
    }
    if extremes.maximum:
        hill = part.get_uphill_downhill()
        values["ascent"], values["descent"] = hill.uphill, hill.downhill
    values.update(stats(*sensors))
    return values


def chart(segments):
    """FitTrackee 1.x's stored points (`_process_segment_points`), as the
    chart rows [segment, meters within it, seconds from the workout's first
    point, km/h, time]: the chart endpoints are computed from these."""
    import pytz

    first = segments[0].points[0]
    rows = []
    for index, segment in enumerate(segments):
        previous, meters = None, 0.0
        for i, point in enumerate(segment.points):
            if point.elevation and previous and previous.elevation:
                step = point.distance_3d(previous)
            else:
                step = point.distance_2d(previous)
            meters += step or 0.0
            speed = 0.0 if i == 0 else segment.get_speed(i)
            speed = 0.0 if speed is None else round(speed / 1000 * 3600, 2)
            seconds = point.time_difference(first)
            time = str(point.time.astimezone(pytz.utc)) if point.time else None
            rows.append([index, meters, int(seconds) if seconds else 0, speed, time])
            previous = point
    return rows


def golden(path, threshold):
    import gpxpy

    with open(path, "rb") as f:
        raw = f.read()
    # gpxpy decodes bytes as UTF-8 only (FitTrackee refuses other files);
    # we read the declared encoding, so the golden values come from the text.
    declared = "iso-8859-1" if b'encoding="ISO-8859-1"' in raw[:100] else "utf-8"
    track = gpxpy.parse(raw.decode(declared)).tracks[0]
    segments, between, previous_end = [], datetime.timedelta(0), None
    all_sensors = ([], [], [])
    for segment in track.segments:
        if len(segment.points) < 2:
            continue
        first = segment.points[0]
        if previous_end and first.time:
            between += first.time - previous_end
        previous_end = segment.points[-1].time
        sensors = readings(segment.points)
        for total, part in zip(all_sensors, sensors):
            total.extend(part)
        segments.append(measures(segment, threshold, datetime.timedelta(0), sensors))
    workout = measures(track, threshold, between, all_sensors)
    workout["max_speed"] = max([s["max_speed"] for s in segments if s["max_speed"]] or [0.0])
    valid = [segment for segment in track.segments if len(segment.points) >= 2]
    return {"workout": workout, "segments": segments, "chart": chart(valid)}


def write_golden():
    ensure_gpxpy()
    import gpxpy

    for name, (sport_id, threshold, what) in FILES.items():
        values = golden(os.path.join(TRACKS, name), threshold)
        out = {"file": name, "what": what, "sport_id": sport_id, "stopped_speed_threshold": threshold,
               "gpxpy": gpxpy.__version__, **values}
        text = json.dumps(out, indent=2, sort_keys=False)
        # One chart row per line.
        text = re.sub(r"\[\s+([^\[\]{}]*?)\s+\]", lambda m: "[" + re.sub(r",\s+", ", ", m.group(1)) + "]", text)
        with open(os.path.join(HERE, name.replace(".gpx", ".json")), "w") as f:
            f.write(text + "\n")
        print(f"{name}: {values['workout']['distance_km']:.3f} km, {values['workout']['duration']} s")


# --- The tracks: seeded, shaped like what devices write. ---

EARTH = 6_371_000.0


class Walker:
    """A position that moves at a speed on a slowly turning heading."""

    def __init__(self, rng, lat, lon, ele):
        self.rng, self.lat, self.lon, self.ele = rng, lat, lon, ele
        self.heading = rng.uniform(0, 2 * math.pi)
        self.climb = 0.0

    def move(self, meters):
        self.heading += self.rng.gauss(0, 0.08)
        self.lat += math.degrees(meters * math.cos(self.heading) / EARTH)
        self.lon += math.degrees(meters * math.sin(self.heading) / (EARTH * math.cos(math.radians(self.lat))))
        self.climb = 0.97 * self.climb + self.rng.gauss(0, 0.02)
        self.ele += self.climb * meters

    def fix(self, noise_m):
        """The position a receiver reports: the true one with noise."""
        dlat = math.degrees(self.rng.gauss(0, noise_m) / EARTH)
        dlon = math.degrees(self.rng.gauss(0, noise_m) / (EARTH * math.cos(math.radians(self.lat))))
        return self.lat + dlat, self.lon + dlon


def stamp(t, fraction_digits=0):
    moment = datetime.datetime.fromtimestamp(t, tz=datetime.timezone.utc)
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    if fraction_digits:
        text += f"{moment.microsecond / 1e6:.{fraction_digits}f}"[1:]
    return text + "Z"


def garmin_head(name, creator="Garmin Edge 530", encoding="UTF-8"):
    return (
        f'<?xml version="1.0" encoding="{encoding}"?>\n'
        f'<gpx creator="{creator}" version="1.1" xmlns="http://www.topografix.com/GPX/1/1" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1" '
        'xsi:schemaLocation="http://www.topografix.com/GPX/1/1 http://www.topografix.com/GPX/1/1/gpx.xsd">\n'
        f' <metadata>\n  <time>2024-06-02T06:00:00Z</time>\n </metadata>\n <trk>\n  <name>{name}</name>\n'
    )


def point(lat, lon, ele=None, time=None, hr=None, cad=None, power=None, digits=7):
    """One `<trkpt>` on one line, as most devices write them."""
    out = f'<trkpt lat="{lat:.{digits}f}" lon="{lon:.{digits}f}">'
    if ele is not None:
        out += f"<ele>{ele:.1f}</ele>"
    if time is not None:
        out += f"<time>{time}</time>"
    if hr is not None or cad is not None or power is not None:
        out += "<extensions>"
        if power is not None:
            out += f"<power>{power}</power>"
        if hr is not None or cad is not None:
            out += "<gpxtpx:TrackPointExtension>"
            if hr is not None:
                out += f"<gpxtpx:hr>{hr}</gpxtpx:hr>"
            if cad is not None:
                out += f"<gpxtpx:cad>{cad}</gpxtpx:cad>"
            out += "</gpxtpx:TrackPointExtension>"
        out += "</extensions>"
    return out + "</trkpt>\n"


def commute(rng):
    w, t, hr, out = Walker(rng, 48.8566, 2.3522, 35.0), 1_717_308_000, 95.0, []
    stops = {400: 45, 900: 240}
    for i in range(1200):
        if i in stops:
            for _ in range(stops[i]):
                t += 1
                hr = max(80.0, hr - 0.3)
                lat, lon = w.fix(1.5)
                out.append(point(lat, lon, w.ele + rng.gauss(0, 0.2), stamp(t), round(hr), 0))
        speed = 5.5 + 1.5 * math.sin(i / 90) + rng.gauss(0, 0.3)
        w.move(max(speed, 0.5))
        t += 1
        hr = min(175.0, max(90.0, hr + rng.gauss(0.05, 1.0)))
        lat, lon = w.fix(2.0)
        out.append(point(lat, lon, w.ele + rng.gauss(0, 0.3), stamp(t), round(hr), round(80 + rng.gauss(0, 4))))
    return garmin_head("Morning commute") + "  <type>cycling</type>\n  <trkseg>\n" + "".join(out) + "  </trkseg>\n </trk>\n</gpx>\n"


def hike(rng):
    w, t, out = Walker(rng, 45.9237, 6.8694, 1035.0), 1_717_320_000, []
    for i in range(1000):
        t += rng.choice([1, 2, 3, 5, 5, 8, 13])
        if 500 <= i < 520:
            w.move(0.05)
        else:
            w.move(rng.uniform(0.8, 1.6) * (t % 7 + 1) / 4)
        lat, lon = w.fix(4.0)
        out.append(point(lat, lon, None, stamp(t), digits=6))
    head = garmin_head("Lac Blanc", creator="OsmAnd~ 4.7.9")
    return head + "  <trkseg>\n" + "".join(out) + "  </trkseg>\n </trk>\n</gpx>\n"


def run(rng):
    w, t, hr, out = Walker(rng, 51.5072, -0.1276, 12.0), 1_717_394_400.0, 120.0, []
    for i in range(1000):
        t += rng.choice([0.9, 1.0, 1.0, 1.1, 2.0])
        w.move(rng.uniform(2.6, 3.4))
        hr = min(185.0, hr + rng.gauss(0.04, 0.8))
        lat, lon = w.fix(2.5)
        untimed = (i % 97 == 50) or i == 999
        spm = round(86 + rng.gauss(0, 2))
        out.append(point(lat, lon, w.ele + rng.gauss(0, 0.4), None if untimed else stamp(t, 3), round(hr), spm))
    return garmin_head("Lunch run", creator="Forerunner 255") + "  <trkseg>\n" + "".join(out) + "  </trkseg>\n </trk>\n</gpx>\n"


def ride(rng):
    w, t, hr, out = Walker(rng, 50.8503, 4.3517, 60.0), 1_717_480_800, 110.0, []
    for i in range(1500):
        sprint = 1000 <= i < 1020
        speed = 13.0 if sprint else 8.0 + 2.0 * math.sin(i / 150) + rng.gauss(0, 0.4)
        w.move(speed)
        t += 1
        hr = min(190.0, max(100.0, hr + rng.gauss(0.3 if sprint else 0.0, 1.0)))
        watts = round(720 + rng.gauss(0, 40)) if sprint else max(0, round(190 + 35 * w.climb * 50 + rng.gauss(0, 25)))
        lat, lon = w.fix(1.8)
        out.append(point(lat, lon, w.ele + rng.gauss(0, 0.2), stamp(t), round(hr), round(88 + rng.gauss(0, 5)), watts))
    return garmin_head("Saturday ride", creator="Wahoo ELEMNT BOLT") + "  <trkseg>\n" + "".join(out) + "  </trkseg>\n </trk>\n</gpx>\n"


def tour(rng):
    w, t, segments = Walker(rng, 43.2965, 5.3698, 150.0), 1_717_567_200.0, []
    for number, (points, gap) in enumerate([(400, 1260.5), (1, 60.0), (350, 2400.25), (300, 0)]):
        out = []
        for _ in range(points):
            t += rng.choice([2.0, 3.0, 4.0, 4.5])
            w.move(rng.uniform(1.0, 1.6) * 3)
            lat, lon = w.fix(3.0)
            out.append(point(lat, lon, w.ele + rng.gauss(0, 0.5), stamp(t, 2), round(100 + rng.gauss(0, 6)), 0))
        segments.append("  <trkseg>\n" + "".join(out) + "  </trkseg>\n")
        t += gap
    return garmin_head("Calanques, three days", creator="Garmin fenix 7") + "".join(segments) + " </trk>\n</gpx>\n"


def trail(rng):
    w, t, out = Walker(rng, 43.5283, 7.0423, 2.0), 1_717_653_600.0, []
    for i in range(900):
        t += rng.choice([1.0, 1.0, 1.25, 2.5])
        w.move(rng.uniform(1.4, 2.8))
        lat, lon = w.fix(2.2)
        ele = 0.0 if i < 120 or 600 <= i < 660 else max(0.0, w.ele + 20 + rng.gauss(0, 0.5))
        out.append(point(lat, lon, ele, stamp(t, 3), round(130 + rng.gauss(0, 8))))
    head = garmin_head("Sentier du littoral, l'Estérel", creator="Suunto app", encoding="ISO-8859-1")
    head += "  <desc>Départ de la plage, arrivée au phare</desc>\n"
    return head + "  <trkseg>\n" + "".join(out) + "  </trkseg>\n </trk>\n</gpx>\n"


def write_tracks():
    makers = {
        "commute_pauses.gpx": commute,
        "hike_no_elevation.gpx": hike,
        "run_missing_times.gpx": run,
        "ride_power.gpx": ride,
        "tour_segments.gpx": tour,
        "trail_latin1.gpx": trail,
    }
    for seed, (name, make) in enumerate(makers.items()):
        text = make(random.Random(seed))
        encoding = "iso-8859-1" if 'encoding="ISO-8859-1"' in text[:60] else "utf-8"
        with open(os.path.join(TRACKS, name), "wb") as f:
            f.write(text.encode(encoding))
        print(f"{name}: {len(text) // 1024} KiB")


if __name__ == "__main__":
    if sys.argv[1:] == ["tracks"]:
        write_tracks()
    else:
        write_golden()
