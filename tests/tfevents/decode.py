#!/usr/bin/python3
"""decode.py - reads TensorBoard event files as TensorBoard would, with
nothing shared with the C writer (common/tfevents.c): the records'
framing and CRC32C checked by a bitwise CRC written here, the Events
parsed by classes that protoc generates from event.proto and
summary.proto beside this file, every PNG inside checked chunk by chunk
and inflated by zlib.

usage: decode.py --build DIR [--csv LOG.csv] FILE...

FILEs are one run's event files in the order TensorBoard reads them
(sorted by name). As TensorBoard does, every SessionLog START after the
first is a restart: the steps from its step on that earlier records hold
are dropped. With --csv, the scalars left must be exactly the log's
numbers: one scalar per row and column (after `step`), tagged by the
column's name, at the row's step, equal to the printed %.6g.

Prints one line, `events: key=value ...`, and exits 0; or prints
`error: ...` and exits 1.
"""
import argparse
import csv
import os
import struct
import subprocess
import sys
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
FILE_VERSION = "brain.Event:2"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Image.colorspace -> (PNG colour type, channels)
COLORSPACES = {1: (0, 1), 2: (4, 2), 3: (2, 3), 4: (6, 4)}
CSV_REL_TOL = 1e-5  # %.6g keeps six significant digits


def fail(message):
    print("error: " + message)
    sys.exit(1)


def crc32c(data):
    """CRC32C one bit at a time: slow, and unlike the C table."""
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1
    return crc ^ 0xFFFFFFFF


def masked_crc(data):
    crc = crc32c(data)
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def records(path):
    """The data of each record, its framing checked."""
    with open(path, "rb") as f:
        data = f.read()
    at = 0
    while at < len(data):
        if len(data) - at < 12:
            fail(f"{path}: {len(data) - at} stray bytes at {at}")
        head = data[at:at + 8]
        (length,) = struct.unpack("<Q", head)
        (head_crc,) = struct.unpack("<I", data[at + 8:at + 12])
        if head_crc != masked_crc(head):
            fail(f"{path}: bad length CRC at offset {at}")
        end = at + 12 + length
        if end + 4 > len(data):
            fail(f"{path}: record at {at} is truncated")
        body = data[at + 12:end]
        (body_crc,) = struct.unpack("<I", data[end:end + 4])
        if body_crc != masked_crc(body):
            fail(f"{path}: bad data CRC in the record at {at}")
        yield body
        at = end + 4


def check_png(png, image, where):
    """The PNG is whole, of the size and colours the Image says."""
    if not png.startswith(PNG_SIGNATURE):
        fail(f"{where}: not a PNG")
    at, idat, chunks = len(PNG_SIGNATURE), b"", []
    while at < len(png):
        (length,) = struct.unpack(">I", png[at:at + 4])
        kind = png[at + 4:at + 8]
        body = png[at + 8:at + 8 + length]
        (crc,) = struct.unpack(">I", png[at + 8 + length:at + 12 + length])
        if len(body) != length or crc != zlib.crc32(kind + body):
            fail(f"{where}: PNG chunk {kind!r} is damaged")
        chunks.append(kind)
        if kind == b"IHDR":
            width, height, depth, ctype = struct.unpack(">IIBB", body[:10])
        elif kind == b"IDAT":
            idat += body
        at += 12 + length
    if chunks[0] != b"IHDR" or chunks[-1] != b"IEND":
        fail(f"{where}: PNG chunks out of order: {chunks}")
    if (width, height) != (image.width, image.height):
        fail(f"{where}: PNG is {width}x{height}, the Image says "
             f"{image.width}x{image.height}")
    if image.colorspace not in COLORSPACES:
        fail(f"{where}: colorspace {image.colorspace}")
    want_type, channels = COLORSPACES[image.colorspace]
    if depth != 8 or ctype != want_type:
        fail(f"{where}: PNG depth {depth} colour type {ctype}")
    rows = zlib.decompress(idat)
    if len(rows) != height * (1 + width * channels):
        fail(f"{where}: PNG inflates to {len(rows)} bytes")
    if any(rows[r * (1 + width * channels)] > 4 for r in range(height)):
        fail(f"{where}: PNG row with an unknown filter")


def load_event_pb2(build):
    os.makedirs(build, exist_ok=True)
    subprocess.run(["protoc", "-I", HERE, "--python_out=" + build,
                    "event.proto", "summary.proto"], check=True)
    sys.path.insert(0, build)
    import event_pb2
    return event_pb2


class Run:
    """What TensorBoard would keep of the files."""

    def __init__(self):
        self.scalars = {}  # (tag, step) -> value
        self.scalar_events = {}  # step -> scalars in events at that step
        self.images = []  # (tag, step, width, height)
        self.starts = self.purged = self.records = 0

    def restart(self, step):
        old = len(self.scalars) + len(self.images)
        self.scalars = {k: v for k, v in self.scalars.items() if k[1] < step}
        self.scalar_events = {s: n for s, n in self.scalar_events.items()
                              if s < step}
        self.images = [i for i in self.images if i[1] < step]
        self.purged += old - len(self.scalars) - len(self.images)

    def add(self, pb, event, where):
        self.records += 1
        if event.wall_time < 1e9:
            fail(f"{where}: wall_time {event.wall_time}")
        what = event.WhichOneof("what")
        if what == "session_log":
            if event.session_log.status == pb.SessionLog.START:
                self.starts += 1
                if self.starts > 1:
                    self.restart(event.step)
            return
        if what != "summary":
            fail(f"{where}: an event of {what}")
        scalars = 0
        for value in event.summary.value:
            kind = value.WhichOneof("value")
            if kind == "simple_value":
                key = (value.tag, event.step)
                if key in self.scalars:
                    fail(f"{where}: {value.tag} twice at step {event.step}")
                self.scalars[key] = value.simple_value
                scalars += 1
            elif kind == "image":
                check_png(value.image.encoded_image_string, value.image,
                          where)
                self.images.append((value.tag, event.step,
                                    value.image.width, value.image.height))
            else:
                fail(f"{where}: a value of {kind}")
        if scalars:
            self.scalar_events[event.step] = (
                self.scalar_events.get(event.step, 0) + 1)


def compare_csv(run, path):
    """Every number of the log is a scalar, and no scalar of its tags is
    missing from it. Returns the rows."""
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header, rows = rows[0], [r for r in rows[1:] if r]
    if header[0] != "step":
        fail(f"{path}: first column {header[0]}")
    steps = set()
    for row in rows:
        step = int(float(row[0]))
        steps.add(step)
        for tag, text in zip(header[1:], row[1:]):
            want = float(text)
            got = run.scalars.get((tag, step))
            if got is None:
                fail(f"no scalar {tag} at step {step}")
            if abs(got - want) > CSV_REL_TOL * max(1.0, abs(want)):
                fail(f"{tag} at step {step}: {got} in the events, "
                     f"{text} in {path}")
    for tag, step in run.scalars:
        if tag in header[1:] and step not in steps:
            fail(f"{tag} at step {step} is in the events, not in {path}")
    return len(rows)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", required=True)
    parser.add_argument("--csv")
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    if crc32c(b"123456789") != 0xE3069283:
        fail("the decoder's own CRC32C is wrong")
    pb = load_event_pb2(args.build)
    run = Run()
    for path in args.files:
        for i, body in enumerate(records(path)):
            event = pb.Event()
            event.ParseFromString(body)
            where = f"{os.path.basename(path)} record {i}"
            if i == 0:
                if event.file_version != FILE_VERSION:
                    fail(f"{where}: file_version {event.file_version!r}")
                run.records += 1
                continue
            if i == 1 and not (event.WhichOneof("what") == "session_log"
                               and event.session_log.status
                               == pb.SessionLog.START):
                fail(f"{where}: the second record is not a START")
            run.add(pb, event, where)
    fields = {
        "files": len(args.files), "records": run.records,
        "starts": run.starts, "purged": run.purged,
        "scalar_events": sum(run.scalar_events.values()),
        "scalars": len(run.scalars), "images": len(run.images),
    }
    steps = sorted(run.scalar_events)
    if steps:
        fields["first_step"], fields["last_step"] = steps[0], steps[-1]
    if run.images:
        fields["image_width"], fields["image_height"] = run.images[0][2:]
        fields["image_steps"] = ",".join(str(i[1]) for i in run.images)
    if args.csv:
        fields["csv_rows"] = compare_csv(run, args.csv)
    fields["tags"] = ",".join(sorted({tag for tag, _ in run.scalars} |
                                     {i[0] for i in run.images}))
    print("events: " + " ".join(f"{k}={v}" for k, v in fields.items()))


if __name__ == "__main__":
    main()
