#!/usr/bin/env python3
"""The same ride in every format FitTrackee takes, made by the tools that
make such files in the wild, plus the shapes exporters give them:

    tests/data/formats/make.py

- gpsbabel (Debian package) converts tests/data/gpx/ride_power.gpx to TCX
  (an activity), KML (a gx:Track) and a FIT course; KMZ zips the KML.
- fit-tool (PyPI) writes a FIT activity of the same points, as a watch
  does: timer events (an auto pause mid-ride), records with heart rate,
  cadence and power, a lap, a session; and an indoor FIT without positions.
- TCX as Garmin Connect (ns3:TPX with Watts), Polar Flow (a byte-order mark,
  the author but no creator) and Strava (blanks before the declaration)
  export it, written from the GPX points.
- archive.zip holds several of them and files that are not workouts.
(The GPX of the ride is tests/data/gpx/ride_power.gpx itself.)

The outputs are committed; the tests read them. gpsbabel and fit-tool are
installed when missing (apt-get, pip into target/formats-venv).
"""

import datetime
import io
import os
import re
import shutil
import subprocess
import sys
import venv
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
SOURCE = os.path.join(ROOT, "tests", "data", "gpx", "ride_power.gpx")
PACKAGES = ["fit-tool==0.9.16", "gpxpy==1.6.2"]


def ensure_tools():
    if not shutil.which("gpsbabel"):
        sudo = [] if os.geteuid() == 0 else ["sudo"]
        subprocess.run(sudo + ["apt-get", "install", "-y", "-qq", "gpsbabel"], check=True)
    try:
        import fit_tool  # noqa: F401
        import gpxpy  # noqa: F401
    except ImportError:
        env = os.path.join(ROOT, "target", "formats-venv")
        python = os.path.join(env, "bin", "python")
        if not os.path.exists(python):
            venv.create(env, with_pip=True)
        subprocess.run([python, "-m", "pip", "install", "--quiet", *PACKAGES], check=True)
        os.execv(python, [python, *sys.argv])


def out(name):
    return os.path.join(HERE, name)


def gpsbabel(output_format, name):
    subprocess.run(["gpsbabel", "-t", "-i", "gpx", "-f", SOURCE, "-o", output_format, "-F", out(name)], check=True)


def points():
    """(lat, lon, ele, time, hr, cad, power) of the source ride."""
    text = open(SOURCE, encoding="utf-8").read()
    pattern = re.compile(
        r'<trkpt lat="([^"]+)" lon="([^"]+)"><ele>([^<]+)</ele><time>([^<]+)</time>'
        r"<extensions><power>(\d+)</power><gpxtpx:TrackPointExtension><gpxtpx:hr>(\d+)</gpxtpx:hr>"
        r"<gpxtpx:cad>(\d+)</gpxtpx:cad>"
    )
    found = []
    for lat, lon, ele, time, power, hr, cad in pattern.findall(text):
        moment = datetime.datetime.fromisoformat(time.replace("Z", "+00:00"))
        found.append((float(lat), float(lon), float(ele), moment, int(hr), int(cad), int(power)))
    assert len(found) > 1000, len(found)
    return found


def millis(moment):
    return round(moment.timestamp() * 1000)


def fit_activity(track, name, with_positions=True):
    from fit_tool.fit_file_builder import FitFileBuilder
    from fit_tool.profile.messages.activity_message import ActivityMessage
    from fit_tool.profile.messages.event_message import EventMessage
    from fit_tool.profile.messages.file_id_message import FileIdMessage
    from fit_tool.profile.messages.lap_message import LapMessage
    from fit_tool.profile.messages.record_message import RecordMessage
    from fit_tool.profile.messages.session_message import SessionMessage
    from fit_tool.profile.profile_type import Event, EventType, FileType, Manufacturer, Sport, TimerTrigger

    builder = FitFileBuilder(auto_define=True, min_string_size=50)
    start, end = track[0][3], track[-1][3]
    file_id = FileIdMessage()
    file_id.type = FileType.ACTIVITY
    file_id.manufacturer = Manufacturer.GARMIN.value
    file_id.product = 3121
    file_id.time_created = millis(start)
    file_id.serial_number = 0x12345678
    builder.add(file_id)

    def event(moment, kind, trigger=None):
        message = EventMessage()
        message.event = Event.TIMER
        message.event_type = kind
        message.timestamp = millis(moment)
        if trigger is not None:
            message.timer_trigger = trigger
        builder.add(message)

    event(start, EventType.START)
    distance = 0.0
    previous = None
    middle = len(track) // 2
    for index, (lat, lon, ele, moment, hr, cad, power) in enumerate(track):
        if previous:
            # Flat-earth distance: the device's own odometer, not ours.
            dlat = (lat - previous[0]) * 111_195
            dlon = (lon - previous[1]) * 111_195 * 0.63
            distance += (dlat * dlat + dlon * dlon) ** 0.5
        previous = (lat, lon)
        if index == middle:
            # An auto pause: a stop and a start at once (no segment by default).
            event(moment, EventType.STOP_ALL, TimerTrigger.AUTO)
            event(moment, EventType.START, TimerTrigger.AUTO)
        record = RecordMessage()
        record.timestamp = millis(moment)
        if with_positions:
            record.position_lat = lat
            record.position_long = lon
            record.enhanced_altitude = ele
        record.heart_rate = hr
        record.cadence = cad
        record.power = power
        record.distance = distance
        builder.add(record)
    event(end, EventType.STOP_ALL, TimerTrigger.MANUAL)

    elapsed = (end - start).total_seconds()
    for message in (LapMessage(), SessionMessage()):
        message.timestamp = millis(end)
        message.start_time = millis(start)
        message.total_elapsed_time = elapsed
        message.total_timer_time = elapsed
        message.total_distance = distance
        message.avg_heart_rate = round(sum(p[4] for p in track) / len(track))
        message.max_heart_rate = max(p[4] for p in track)
        message.avg_power = round(sum(p[6] for p in track) / len(track))
        message.max_power = max(p[6] for p in track)
        message.avg_cadence = round(sum(p[5] for p in track) / len(track))
        message.total_calories = 612
        if isinstance(message, SessionMessage):
            message.sport = Sport.CYCLING
        builder.add(message)
    activity = ActivityMessage()
    activity.timestamp = millis(end)
    activity.num_sessions = 1
    activity.total_timer_time = elapsed
    builder.add(activity)
    builder.build().to_file(out(name))


def tcx(track, creator=None, author=None, tpx_prefix="ns3", watts=True):
    head = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2" '
        f'xmlns:{tpx_prefix}="http://www.garmin.com/xmlschemas/ActivityExtension/v2">\n'
        f" <Activities>\n  <Activity Sport=\"Biking\">\n   <Id>{track[0][3].isoformat().replace('+00:00', '.000Z')}</Id>\n"
        f"   <Lap StartTime=\"{track[0][3].isoformat().replace('+00:00', 'Z')}\">\n    <Calories>612</Calories>\n    <Track>\n"
    )
    body = io.StringIO()
    for lat, lon, ele, moment, hr, cad, power in track:
        body.write(
            f"     <Trackpoint><Time>{moment.isoformat().replace('+00:00', '.000Z')}</Time>"
            f"<Position><LatitudeDegrees>{lat}</LatitudeDegrees><LongitudeDegrees>{lon}</LongitudeDegrees></Position>"
            f"<AltitudeMeters>{ele}</AltitudeMeters><HeartRateBpm><Value>{hr}</Value></HeartRateBpm>"
            f"<Cadence>{cad}</Cadence>"
        )
        if watts:
            body.write(f"<Extensions><{tpx_prefix}:TPX><{tpx_prefix}:Watts>{power}</{tpx_prefix}:Watts></{tpx_prefix}:TPX></Extensions>")
        body.write("</Trackpoint>\n")
    tail = "    </Track>\n   </Lap>\n"
    if creator:
        tail += f"   <Creator><Name>{creator}</Name></Creator>\n"
    tail += "  </Activity>\n </Activities>\n"
    if author:
        tail += f" <Author><Name>{author}</Name></Author>\n"
    return head + body.getvalue() + tail + "</TrainingCenterDatabase>\n"


def write(name, text, prefix=b""):
    with open(out(name), "wb") as f:
        f.write(prefix + text.encode("utf-8"))


def main():
    ensure_tools()
    track = points()
    gpsbabel("gtrnctr,course=0,sport=Biking", "ride.tcx")
    gpsbabel("kml,track=1,points=0,lines=0", "ride.kml")
    gpsbabel("garmin_fit", "ride_course.fit")
    with zipfile.ZipFile(out("ride.kmz"), "w", zipfile.ZIP_DEFLATED) as kmz:
        kmz.write(out("ride.kml"), "doc.kml")
    fit_activity(track, "ride.fit")
    fit_activity(track[:600], "indoor.fit", with_positions=False)
    # The exporters' shapes need no whole ride: the first 300 points.
    short = track[:300]
    write("garmin_connect.tcx", tcx(short, creator="Edge 530", author="Garmin Connect API"))
    write("polar.tcx", tcx(short, author="Polar Flow", tpx_prefix="tpx"), prefix=b"\xef\xbb\xbf")
    write("strava.tcx", "\n   " + tcx(short, creator="Strava", watts=False))
    with zipfile.ZipFile(out("archive.zip"), "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(SOURCE, "export/ride.gpx")
        for name in ["garmin_connect.tcx", "ride.fit", "ride.kml"]:
            archive.write(out(name), f"export/{name}")
        archive.writestr("export/readme.txt", "An export of four rides.\n")
        archive.writestr("export/photos/", "")
    for name in sorted(os.listdir(HERE)):
        if not name.endswith(".py"):
            print(f"{name}: {os.path.getsize(out(name)) // 1024} KiB")


if __name__ == "__main__":
    main()
