# 10-stabilizing.gp - chapter 10's main figure, from the default run:
# the final samples (blue) of chapter 7's GAN and of the best
# configuration of the table, over the target's samples (red), on the
# ring (top) and the grid (bottom), one seed each.
# Run by the program, or by hand:
#   gnuplot -e "dir='out/10-stabilizing'; out='x.png'" plots/10-stabilizing.gp
if (!exists("dir")) dir = 'out/10-stabilizing'
if (!exists("out")) out = dir.'/10-stabilizing.png'
best = 'leaky-decay-75k-pack-deep'

demo = dir.'/demo'
set terminal pngcairo size 760,800 font 'Sans,10'
set output out
set datafile separator comma
set multiplot layout 2,2 title \
    'After training: generator (blue, 2,500 samples), target (red)'
set size ratio -1
unset key
set tics font 'Sans,8'

do for [t in 'ring grid'] {
    modes = (t eq 'ring') ? 8 : 25
    lim = (t eq 'ring') ? 1.6 : 6
    set xrange [-lim:lim]
    set yrange [-lim:lim]
    do for [e in 'baseline '.best] {
        run = demo.'/'.e
        stats [*:*] [*:*] run.'/seeds-'.t.'.csv' using 3 skip 1 nooutput
        captured = STATS_max
        stats [*:*] [*:*] run.'/seeds-'.t.'.csv' using 4 skip 1 nooutput
        set title sprintf("%s, %s\n%d/%d modes, %.1f%% HQ", t, e, \
                          captured, modes, STATS_max)
        plot run.'/data-'.t.'.csv' using 1:2 skip 1 with points pt 7 \
                 ps 0.25 lc rgb '#d6604d', \
             run.'/final-'.t.'.csv' using 2:3 skip 1 with points pt 7 \
                 ps 0.15 lc rgb '#2166ac'
    }
}
unset multiplot
