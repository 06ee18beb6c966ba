# 07-gan-2d.gp - chapter 7's main figure: the generator's samples
# (blue) at a few moments of the first seed's run, over the target's
# own samples (red); one row per target that was trained.
# Run by the program, or by hand:
#   gnuplot -e "dir='out/07-gan-2d'; out='x.png'" plots/07-gan-2d.gp
if (!exists("dir")) dir = 'out/07-gan-2d'
if (!exists("out")) out = dir.'/07-gan-2d.png'

exists_file(f) = int(system(sprintf("test -f '%s' && echo 1 || echo 0", f)))
names = ''
do for [t in 'ring grid'] {
    if (exists_file(dir.'/samples-'.t.'.csv')) { names = names.' '.t }
}
rows = words(names)
if (rows == 0) { print 'no samples-*.csv in '.dir; exit status 1 }
moments = 5

set terminal pngcairo size 1500,(300 * rows + 40) font 'Sans,10'
set output out
set datafile separator comma
set multiplot layout rows,moments title \
    'Generator samples (blue, 2,500) and target samples (red), first seed'
set size ratio -1
unset key
set tics font 'Sans,8'
log = dir.'/log.csv'

do for [r = 1:rows] {
    t = word(names, r)
    data = dir.'/data-'.t.'.csv'
    samples = dir.'/samples-'.t.'.csv'
    modes = (t eq 'ring') ? 8 : 25
    lim = (t eq 'ring') ? 1.6 : 6
    set xrange [-lim:lim]
    set yrange [-lim:lim]
    stats [*:*] [*:*] log using ($2 == modes ? $3 : 1/0) skip 1 nooutput
    seed = STATS_min
    do for [k = 0:moments - 1] {
        stats [*:*] [*:*] samples every :::k::k using 1 skip 1 nooutput
        step = STATS_min
        is_now(a, b, c) = a == step && b == modes && c == seed
        stats [*:*] [*:*] log using (is_now($1, $2, $3) ? $8 : 1/0) \
            skip 1 nooutput
        captured = STATS_max
        stats [*:*] [*:*] log using (is_now($1, $2, $3) ? $9 : 1/0) \
            skip 1 nooutput
        set title sprintf('%s, step %d: %d/%d modes, %.1f%% HQ', \
                          t, step, captured, modes, STATS_max)
        plot samples every :::k::k using 2:3 skip 1 with points pt 7 \
                 ps 0.25 lc rgb '#2166ac', \
             data using 1:2 skip 1 with points pt 7 ps 0.15 \
                 lc rgb '#d6604d'
    }
}
unset multiplot
