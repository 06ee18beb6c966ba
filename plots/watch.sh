#!/bin/sh
# watch.sh - a live view of a running chapter's log.csv, redrawn every
# few seconds by gnuplot (make watch, make watch-NN-name).
#
#   sh plots/watch.sh [--once] [--every SECONDS] [--terminal NAME] RUN
#
# RUN is a chapter (08-gan-mnist: its folder out/08-gan-mnist) or a run
# folder (out/bench). The picture is the chapter's own figure script,
# plots/NN-name.gp, where that script can draw on any terminal (the GAN
# chapters' plots/gan-game.gp); for the other chapters, every column of
# the log against its first (plots/watch-log.gp).
#
# Where: a window when there is a display ($DISPLAY, and gnuplot has
# qt, wxt or x11), else the terminal itself, as text sized to it
# (gnuplot's dumb terminal). --terminal NAME chooses, e.g. sixelgd for
# a terminal that shows sixel images (xterm -ti vt340, mlterm, foot,
# WezTerm), or dumb in a window too.
#
# What it reads: a run writes its rows to its temporary, log.csv.<pid>.tmp
# (common/files.h), a row at a time, and publishes log.csv at every
# checkpoint; the newest temporary is read when there is one, else
# log.csv, so the view follows every step. A last row still being
# written (no newline yet) is left for the next redraw. Before the
# first row it waits and says so. Ctrl-C ends it.
set -u

usage() {
    echo "usage: sh plots/watch.sh [--once] [--every SECONDS] [--terminal NAME] RUN" >&2
    echo "  RUN: a chapter such as 08-gan-mnist (out/08-gan-mnist) or a run folder" >&2
    exit 2
}

once=0
every=5
terminal=""
run=""
while [ $# -gt 0 ]; do
    case "$1" in
        --once) once=1 ;;
        --every) [ $# -ge 2 ] || usage; every=$2; shift ;;
        --terminal) [ $# -ge 2 ] || usage; terminal=$2; shift ;;
        --help|-h) usage ;;
        -*) echo "watch: unknown option $1" >&2; usage ;;
        *) [ -z "$run" ] || usage; run=$1 ;;
    esac
    shift
done
[ -n "$run" ] || usage
case "$every" in
    ''|*[!0-9.]*) echo "watch: --every takes seconds, not '$every'" >&2; exit 2 ;;
esac
if ! command -v gnuplot >/dev/null 2>&1; then
    echo "watch: gnuplot not found; install gnuplot-nox (make deps)" >&2
    exit 1
fi

here=$(dirname "$0")
case "$run" in
    */*) dir=${run%/} ;;
    *) dir=out/$run ;;
esac
name=$(basename "$dir")

# The chapter's own figure, when it can be drawn on any terminal (its
# script takes `term` instead of its PNG); else every column.
script=$here/$name.gp
if [ ! -f "$script" ] || ! grep -q 'gan-game.gp' "$script"; then
    script=$here/watch-log.gp
fi

available=$(gnuplot -e 'set terminal' 2>&1 </dev/null)
has_terminal() {
    printf '%s\n' "$available" | grep -q "^ *$1 "
}
if [ -z "$terminal" ]; then
    terminal=dumb
    if [ -n "${DISPLAY:-}" ] && [ $once = 0 ]; then
        for t in qt wxt x11; do
            if has_terminal $t; then terminal=$t; break; fi
        done
    fi
fi
if ! has_terminal "$terminal"; then
    echo "watch: this gnuplot has no terminal '$terminal'" >&2
    exit 2
fi
window=0
case "$terminal" in qt|wxt|x11) window=1 ;; esac

# The text terminal fills the terminal it is shown in, less the line
# the status takes.
text_size() {
    size=$(stty size 2>/dev/null </dev/tty) || size=""
    rows=${size% *}
    cols=${size#* }
    [ -n "$size" ] && [ "$rows" -gt 10 ] 2>/dev/null || {
        rows=${LINES:-25}
        cols=${COLUMNS:-80}
    }
    echo "$cols,$((rows - 2))"
}
term_command() {
    case "$terminal" in
        dumb) colour=""; [ -t 1 ] && colour=" ansi256"
              echo "set terminal dumb size $(text_size) noenhanced$colour" ;;
        sixelgd) echo "set terminal sixelgd size 1000,700 noenhanced" ;;
        *) echo "set terminal $terminal noenhanced title 'watch $dir'" ;;
    esac
}

snap=$(mktemp -d "${TMPDIR:-/tmp}/watch.XXXXXX") || exit 1
gnuplot_pid=""
stop() {
    [ -z "$gnuplot_pid" ] || kill "$gnuplot_pid" 2>/dev/null
    rm -rf "$snap"
    [ $once = 1 ] || echo "watch: stopped"
    exit 0
}
trap stop INT TERM HUP

# The live log: the newest temporary a run is writing, else log.csv.
source_log() {
    newest=$(ls -t "$dir"/log.csv.[0-9]*.tmp 2>/dev/null | head -n 1)
    if [ -n "$newest" ]; then echo "$newest"
    elif [ -f "$dir/log.csv" ]; then echo "$dir/log.csv"
    fi
}

# Copies the complete rows of the log into $snap/log.csv; prints the
# step of the last one. Fails when there is no row yet.
take_snapshot() {
    src=$(source_log)
    [ -n "$src" ] || return 1
    cat "$src" >"$snap/raw" 2>/dev/null || return 1
    if [ -s "$snap/raw" ] && [ "$(tail -c 1 "$snap/raw" | od -An -c | tr -d ' ')" != '\n' ]; then
        sed '$d' "$snap/raw" >"$snap/log.csv"   # the row being written
    else
        mv "$snap/raw" "$snap/log.csv"
    fi
    [ "$(wc -l <"$snap/log.csv")" -ge 2 ] || return 1
    tail -n 1 "$snap/log.csv" | cut -d, -f1
}

draw_commands() {
    columns=$(head -n 1 "$snap/log.csv" | tr ',' '\n' | wc -l)
    echo "dir='$snap'; title='$dir'; out='/dev/null'; columns=$columns; term='$(term_command | sed "s/'/''/g")'"
    echo "load '$script'"
}

said_waiting=0
while :; do
    if step=$(take_snapshot); then
        said_waiting=0
        status="watch: $dir, step $step; redrawn every $every s, Ctrl-C ends"
        if [ $once = 1 ]; then
            echo "watch: $dir, step $step"
            draw_commands | gnuplot
            rc=$?
            rm -rf "$snap"
            exit $rc
        elif [ $window = 1 ]; then
            # one gnuplot keeps the window; each redraw is sent to it
            if [ -z "$gnuplot_pid" ]; then
                mkfifo "$snap/fifo"
                gnuplot -persist <"$snap/fifo" &
                gnuplot_pid=$!
                exec 3>"$snap/fifo"
            fi
            draw_commands >&3
            echo "$status"
        else
            printf '\033[H\033[2J%s\n' "$status"
            draw_commands | gnuplot
        fi
    elif [ $once = 1 ]; then
        echo "watch: no rows in $dir/log.csv yet (is the run started?)" >&2
        rm -rf "$snap"
        exit 1
    elif [ $said_waiting = 0 ]; then
        echo "watch: waiting for the first row of $dir/log.csv (start the run, e.g. make run-$name); Ctrl-C ends"
        said_waiting=1
    fi
    sleep "$every"
done
