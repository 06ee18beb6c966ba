# 10-stabilizing-best.gp - the best configuration of the table, seed by
# seed: every seed's final samples (blue) over the target's (red), the
# ring on top and the grid below; the title of each says whether that
# seed reached the target (all modes; 98% high quality on the ring,
# 95% on the grid).
# Run by the program, or by hand:
#   gnuplot -e "dir='out/10-stabilizing'; out='x.png'" \
#       plots/10-stabilizing-best.gp
if (!exists("dir")) dir = 'out/10-stabilizing'
if (!exists("out")) out = dir.'/10-stabilizing-best.png'
best = 'leaky-decay-75k-pack-deep'

run = dir.'/'.best
set datafile separator comma
stats [*:*] [*:*] run.'/seeds-grid.csv' using 1 skip 1 nooutput
columns = STATS_records

set terminal pngcairo size (280 * columns),600 font 'Sans,10'
set output out
set multiplot layout 2,columns title \
    sprintf("'%s', seed by seed: generator (blue), target (red)", best)
set size ratio -1
unset key
set tics font 'Sans,7'

do for [t in 'ring grid'] {
    modes = (t eq 'ring') ? 8 : 25
    goal = (t eq 'ring') ? 98 : 95
    lim = (t eq 'ring') ? 1.6 : 6
    set xrange [-lim:lim]
    set yrange [-lim:lim]
    seeds = run.'/seeds-'.t.'.csv'
    do for [k = 0:columns - 1] {
        stats [*:*] [*:*] seeds every ::k::k using 1 skip 1 nooutput
        seed = STATS_min
        stats [*:*] [*:*] seeds every ::k::k using 3 skip 1 nooutput
        captured = STATS_min
        stats [*:*] [*:*] seeds every ::k::k using 4 skip 1 nooutput
        hq = STATS_min
        ok = (captured == modes && hq >= goal) ? 'at target' : 'MISSED'
        set title sprintf("%s, seed %d: %d/%d, %.1f%%\n%s", t, seed, \
                          captured, modes, hq, ok) font 'Sans,9'
        plot run.'/data-'.t.'.csv' using 1:2 skip 1 with points pt 7 \
                 ps 0.2 lc rgb '#d6604d', \
             run.'/final-'.t.'.csv' every :::k::k using 2:3 skip 1 \
                 with points pt 7 ps 0.12 lc rgb '#2166ac'
    }
}
unset multiplot
